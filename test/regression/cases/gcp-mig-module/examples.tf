# What people write next to the module: a fixed-name template and a group on the default update policy.
resource "google_compute_instance_template" "fixed" { # expect: require-create-before-destroy
  name         = "web-template" # expect: no-static-template-name
  machine_type = "e2-small"

  disk {
    source_image = "debian-cloud/debian-12" # expect: pinned-machine-image
  }

  network_interface {
    network = "default"
  }
}

resource "google_compute_instance_group_manager" "web" { # expect: require-rolling-update
  name               = "web"
  base_instance_name = "web"
  zone               = "europe-west1-b"

  version {
    instance_template = google_compute_instance_template.fixed.id
  }
}
