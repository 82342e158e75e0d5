base_image = "ubuntu:22.04"
