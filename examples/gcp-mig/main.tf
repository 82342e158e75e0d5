# A managed instance group whose template boots an image family and configures itself at boot.
resource "google_compute_instance_template" "app" {
  name         = "app-template"
  machine_type = "e2-small"

  disk {
    source_image = "debian-cloud/debian-12"
    boot         = true
  }

  metadata = {
    startup-script = "apt-get update && apt-get install -y nginx"
  }

  network_interface {
    network = "default"
  }
}

resource "google_compute_instance_group_manager" "app" {
  name               = "app"
  base_instance_name = "app"
  zone               = "europe-west1-b"
  target_size        = 2

  version {
    instance_template = google_compute_instance_template.app.id
  }

  update_policy {
    type           = "OPPORTUNISTIC"
    minimal_action = "REPLACE"
  }
}

module "network" {
  source = "git::https://example.com/terraform-network.git?ref=main"
}
