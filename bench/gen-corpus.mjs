#!/usr/bin/env node
// Vendored from the workplace tools (shared/tools/gen-corpus.mjs) so the project does not depend on ../shared at run time.
// Writes a realistic, deterministic Terraform + Packer repository of about the requested size, for
// benchmarks and robustness tests. Usage: gen-corpus.mjs OUT_DIR [MEGABYTES=5] [SEED=1]
import fs from "node:fs";
import path from "node:path";

const [out, mbArg = "5", seedArg = "1"] = process.argv.slice(2);
if (!out) { console.error("usage: gen-corpus.mjs OUT_DIR [MEGABYTES] [SEED]"); process.exit(2); }
let seed = Number(seedArg) >>> 0 || 1;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const pick = (a) => a[Math.floor(rnd() * a.length)];
const chance = (p) => rnd() < p;
const target = Number(mbArg) * 1e6;

const regions = ["eu-west-1", "us-east-1", "ap-southeast-2"];
const apps = ["web", "api", "worker", "billing", "search", "auth", "ingest", "report", "cache", "edge"];
const lifecycle = (extra = "") => chance(0.6) ? `\n  lifecycle {\n    create_before_destroy = true${extra}\n  }\n` : "";

const blocks = {
  variables: (a) => `variable "${a}_image_id" {
  type        = string
  description = "Image of the current ${a} generation, written by the roll"
}

variable "${a}_instance_type" {
  type    = string
  default = "${pick(["t3.small", "t3.medium", "m6i.large", "c6g.xlarge"])}"
}

variable "${a}_tags" {
  type = map(string)
  default = {
    team    = "${pick(["platform", "payments", "growth", "data"])}"
    service = "${a}"
  }
}
`,
  locals: (a) => `locals {
  ${a}_name   = "\${var.environment}-${a}"
  ${a}_ports  = [for p in [80, 443, ${8000 + Math.floor(rnd() * 999)}] : p if p != 0]
  ${a}_labels = merge(var.${a}_tags, { generation = var.${a}_image_id })
}
`,
  launchTemplate: (a) => `resource "aws_launch_template" "${a}" {
  name_prefix   = "${a}-"
  image_id      = ${chance(0.2) ? `data.aws_ami.${a}.id` : `var.${a}_image_id`}
  instance_type = var.${a}_instance_type
  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo "GENERATION=\${var.${a}_image_id}" > /etc/${a}.env
    ${chance(0.25) ? "apt-get update && apt-get install -y nginx" : `systemctl restart ${a}`}
  EOT
  )

  network_interfaces {
    associate_public_ip_address = false
    security_groups             = [aws_security_group.${a}.id]
  }

  tag_specifications {
    resource_type = "instance"
    tags          = local.${a}_labels
  }
${lifecycle()}}

data "aws_ami" "${a}" {
  most_recent = true
  owners      = ["099720109477"]

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}
`,
  asg: (a) => `resource "aws_autoscaling_group" "${a}" {
  name_prefix         = "${a}-"
  min_size            = ${1 + Math.floor(rnd() * 3)}
  max_size            = ${4 + Math.floor(rnd() * 8)}
  vpc_zone_identifier = var.private_subnet_ids
  health_check_type   = "ELB"

  launch_template {
    id      = aws_launch_template.${a}.id
    version = ${chance(0.3) ? '"$Latest"' : `aws_launch_template.${a}.latest_version`}
  }
${chance(0.6) ? `
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 90
    }
  }
` : ""}
  dynamic "tag" {
    for_each = local.${a}_labels
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}
`,
  securityGroup: (a) => `resource "aws_security_group" "${a}" {
  name_prefix = "${a}-"
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = local.${a}_ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.environment == "prod" ? ["10.0.0.0/8"] : ["0.0.0.0/0"]
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
${lifecycle()}}
`,
  instance: (a) => `resource "aws_instance" "${a}_bastion" {
  ami           = var.${a}_image_id
  instance_type = "t3.nano"
  subnet_id     = element(var.private_subnet_ids, 0)
${chance(0.3) ? `
  connection {
    type = "ssh"
    host = self.private_ip
    user = "ubuntu"
  }

  provisioner "remote-exec" {
    inline = ["sudo systemctl restart ${a}"]
  }
` : ""}${lifecycle()}}
`,
  gcp: (a) => `resource "google_compute_instance_template" "${a}" {
  name_prefix  = "${a}-"
  machine_type = "e2-medium"

  disk {
    source_image = ${chance(0.3) ? '"debian-cloud/debian-12"' : `var.${a}_image_id`}
    boot         = true
  }

  network_interface {
    network = "default"
  }
${lifecycle()}}

resource "google_compute_region_instance_group_manager" "${a}" {
  name               = "${a}-mig"
  base_instance_name = "${a}"
  region             = "europe-west1"

  version {
    instance_template = google_compute_instance_template.${a}.id
  }
${chance(0.6) ? `
  update_policy {
    type                  = "PROACTIVE"
    minimal_action        = "REPLACE"
    max_surge_fixed       = 3
    max_unavailable_fixed = 0
  }
` : ""}}
`,
  droplet: (a) => `resource "digitalocean_droplet" "${a}" {
  count  = ${1 + Math.floor(rnd() * 4)}
  image  = ${chance(0.3) ? '"ubuntu-22-04-x64"' : `var.${a}_image_id`}
  name   = "${a}-\${count.index}"
  region = "ams3"
  size   = "s-1vcpu-1gb"
${lifecycle()}}
`,
  k8s: (a) => `resource "kubernetes_deployment_v1" "${a}" {
  metadata {
    name   = "${a}"
    labels = { app = "${a}" }
  }

  spec {
    replicas = ${1 + Math.floor(rnd() * 5)}
    selector {
      match_labels = { app = "${a}" }
    }
    template {
      metadata {
        labels = { app = "${a}" }
      }
      spec {
        container {
          name  = "${a}"
          image = "${chance(0.25) ? `ghcr.io/acme/${a}:latest` : `ghcr.io/acme/${a}:1.${Math.floor(rnd() * 40)}.${Math.floor(rnd() * 9)}`}"
          port {
            container_port = 8080
          }
          resources {
            limits = { cpu = "500m", memory = "512Mi" }
          }
        }
      }
    }
  }
}
`,
  outputs: (a) => `output "${a}_image_id" {
  value       = var.${a}_image_id
  description = "Image of the ${a} generation that is live"
}
`,
};

const packer = (a) => `packer {
  required_plugins {
    amazon = {
      version = "${chance(0.3) ? ">= 1.2.0" : "~> 1.3"}"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

locals {
  timestamp = regex_replace(timestamp(), "[- TZ:]", "")
}

source "amazon-ebs" "${a}" {
  ami_name      = ${chance(0.25) ? `"${a}-image"` : `"${a}-\${local.timestamp}"`}
  instance_type = "t3.small"
  region        = "${pick(regions)}"
  ssh_username  = "ubuntu"

  source_ami_filter {
    filters = {
      name                = "ubuntu/images/*ubuntu-jammy-22.04-amd64-server-*"
      virtualization-type = "hvm"
    }
    most_recent = true
    owners      = ["099720109477"]
  }
}

build {
  sources = ["source.amazon-ebs.${a}"]

  provisioner "shell" {
    inline = ["sudo apt-get update", "sudo apt-get install -y ${a}"]
  }
${chance(0.7) ? `
  post-processor "manifest" {
    output = "manifest.json"
  }
` : ""}}
`;

fs.rmSync(out, { recursive: true, force: true });
let bytes = 0, files = 0, n = 0;
const write = (p, s) => { fs.mkdirSync(path.dirname(p), { recursive: true }); fs.writeFileSync(p, s); bytes += s.length; files++; };
while (bytes < target) {
  const env = pick(["prod", "staging", "dev"]);
  const dir = path.join(out, "stacks", `${env}-${String(n).padStart(4, "0")}`);
  const group = Array.from({ length: 2 + Math.floor(rnd() * 4) }, () => pick(apps) + n);
  const uniq = [...new Set(group)];
  write(path.join(dir, "variables.tf"), `variable "environment" {\n  type    = string\n  default = "${env}"\n}\n\nvariable "vpc_id" {\n  type = string\n}\n\nvariable "private_subnet_ids" {\n  type = list(string)\n}\n\n` + uniq.map(blocks.variables).join("\n"));
  write(path.join(dir, "locals.tf"), uniq.map(blocks.locals).join("\n"));
  const kinds = [blocks.launchTemplate, blocks.asg, blocks.securityGroup, blocks.instance, blocks.gcp, blocks.droplet, blocks.k8s];
  write(path.join(dir, "main.tf"), uniq.map((a) => kinds.filter(() => chance(0.55)).map((k) => k(a)).join("\n")).join("\n"));
  write(path.join(dir, "outputs.tf"), uniq.map(blocks.outputs).join("\n"));
  write(path.join(dir, "terraform.tfvars"), uniq.map((a) => `${a}_image_id = "ami-0${Math.floor(rnd() * 1e15).toString(16).padStart(13, "0")}"`).join("\n") + "\n");
  if (chance(0.3)) write(path.join(out, "images", `${uniq[0]}.pkr.hcl`), packer(uniq[0]));
  n++;
}
console.log(`wrote ${files} files, ${(bytes / 1e6).toFixed(2)} MB in ${n} stacks under ${out}`);
