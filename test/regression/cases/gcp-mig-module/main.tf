# An instance template and managed instance group module in the shape of the public ones.
locals {
  source_image         = var.source_image != "" ? var.source_image : "debian-12-bookworm-v20240515"
  source_image_project = var.source_image_project != "" ? var.source_image_project : "debian-cloud"
  source_image_link    = "projects/${local.source_image_project}/global/images/${local.source_image}"
}

resource "google_compute_instance_template" "tpl" { # ok: require-create-before-destroy
  name_prefix  = "${var.name_prefix}-" # ok: no-static-template-name
  project      = var.project_id
  machine_type = var.machine_type
  region       = var.region

  metadata_startup_script = var.startup_script # ok: no-boot-time-mutation

  disk {
    source_image = local.source_image_link # ok: pinned-machine-image
    auto_delete  = true
    boot         = true
  }

  network_interface {
    network    = var.network
    subnetwork = var.subnetwork
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_compute_region_instance_group_manager" "mig" { # ok: require-rolling-update
  name               = "${var.hostname}-mig"
  base_instance_name = var.hostname
  region             = var.region

  version {
    name              = "${var.hostname}-mig-version-0"
    instance_template = google_compute_instance_template.tpl.self_link
  }

  dynamic "update_policy" {
    for_each = var.update_policy

    content {
      type                  = update_policy.value.type
      minimal_action        = update_policy.value.minimal_action
      max_surge_fixed       = lookup(update_policy.value, "max_surge_fixed", null)
      max_unavailable_fixed = lookup(update_policy.value, "max_unavailable_fixed", null)
    }
  }
}

resource "google_compute_instance_from_template" "compute_instance" {
  count = var.num_instances

  name                     = "${var.hostname}-${format("%03d", count.index + 1)}"
  zone                     = var.zone
  source_instance_template = google_compute_instance_template.tpl.self_link

  network_interface {
    network    = var.network
    network_ip = length(var.static_ips) == 0 ? "" : element(var.static_ips, count.index)
  }
}
