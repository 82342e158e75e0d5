# Single Compute Engine instances as examples and tutorials write them.
resource "google_compute_instance" "backend" { # expect: require-create-before-destroy
  name         = "backend-instance"
  machine_type = "e2-medium"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12" # expect: pinned-machine-image
    }
  }

  network_interface {
    subnetwork = "backend"
    network_ip = "10.0.0.14"
  }

  network_interface {
    subnetwork = "admin"
    network_ip = "10.10.20.14"
  }

  metadata_startup_script = <<-EOT
    #!/bin/bash
    apt-get update
    apt-get install -y nginx # expect: no-boot-time-mutation
  EOT
}

resource "google_compute_instance" "web" {
  name         = "web" # expect: no-static-unique-attribute
  machine_type = "e2-small"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = var.web_image # ok: pinned-machine-image
    }
  }

  network_interface {
    network = "default"

    access_config {
      nat_ip = google_compute_address.web.address # expect: no-static-unique-attribute
    }
  }

  metadata = {
    enable-oslogin = "TRUE" # ok: no-boot-time-mutation
    startup-script = "echo ROLE=web > /etc/role" # ok: no-boot-time-mutation
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_compute_address" "web" {
  name = "web-address"
}

resource "random_id" "api" {
  byte_length = 4

  keepers = {
    image = var.api_image
  }
}

resource "google_compute_instance" "api" { # ok: require-create-before-destroy
  name         = "api-${random_id.api.hex}" # ok: no-static-unique-attribute
  machine_type = "e2-small"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = var.api_image
    }
  }

  network_interface {
    network = "default"
  }

  metadata = {
    user-data = <<-EOT
      #cloud-config
      package_update: true # expect: no-boot-time-mutation
    EOT
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_compute_instance" "batch" { # expect: require-create-before-destroy
  count        = 3
  name         = "batch-${count.index}"
  machine_type = "e2-small"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = var.api_image
    }
  }

  network_interface {
    network = "default"
  }
}

variable "web_image" {
  type = string
}

variable "api_image" {
  type = string
}
