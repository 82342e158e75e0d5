source "amazon-ebs" "web" {
  ami_name      = local.image_name # ok: packer-unique-image-name
  instance_type = "t3.micro"
  region        = var.region
  source_ami    = "ami-0abcdef1234567890"
  ssh_username  = "ubuntu"
}

source "azure-arm" "web" {
  managed_image_name                = "web-image" # expect: packer-unique-image-name
  managed_image_resource_group_name = "images"
  os_type                           = "Linux"
  image_publisher                   = "Canonical"
  image_offer                       = "0001-com-ubuntu-server-jammy"
  image_sku                         = "22_04-lts"
  vm_size                           = "Standard_B2s"
}

source "digitalocean" "web" {
  image         = "ubuntu-22-04-x64" # ok: pinned-machine-image
  region        = "ams3"
  size          = "s-1vcpu-1gb"
  ssh_username  = "root"
  snapshot_name = "web-{{timestamp}}" # ok: packer-unique-image-name
}

source "amazon-ebs" "release" {
  ami_name         = "web-release-${var.image_version}"
  instance_type    = "t3.micro"
  region           = var.region
  source_ami       = "ami-0abcdef1234567890"
  ssh_username     = "ubuntu"
  force_deregister = true # expect: packer-no-force-deregister
}
