variable "image" {
  type = string
}

variable "lt_version" {
  type    = string
  default = "$Default"
}

resource "digitalocean_droplet" "web" {
  image = var.image
  name  = "web"
}

resource "aws_autoscaling_group" "web" {
  min_size = 1
  max_size = 2

  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.web.id
        version            = var.lt_version
      }
    }
  }
}
