variable "project_id" {
  type = string
}

source "googlecompute" "web" {
  project_id          = var.project_id
  source_image_family = "debian-12"
  zone                = "europe-west1-b"
  image_name          = "web-image" # expect: packer-unique-image-name
  ssh_username        = "packer"
}

source "googlecompute" "dry_run" {
  project_id          = var.project_id
  source_image_family = "debian-12"
  zone                = "europe-west1-b"
  image_name          = "web-image" # ok: packer-unique-image-name
  ssh_username        = "packer"
  skip_create_image   = true
}

build { # expect: packer-require-manifest
  sources = ["source.googlecompute.web", "source.googlecompute.dry_run"]
}
