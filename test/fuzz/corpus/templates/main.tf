# A CRLF file with heredocs, templates and suppressions.
resource "aws_instance" "web" {
  ami = "ami-0123456789abcdef0" # immutably-ignore: pinned-machine-image -- pinned by id
  user_data = <<-EOT
    #!/bin/sh
    apt-get install -y nginx
    echo "${var.name}" %{ if true }yes%{ endif }
  EOT
  tags = { for k, v in var.tags : k => upper(v) if v != "" }
  count = length([for s in var.subnets : s])
}

/* A block comment
   over lines. */
resource "kubernetes_deployment" "app" {
  spec {
    template {
      spec {
        container {
          image = "nginx"
        }
      }
    }
  }
}
