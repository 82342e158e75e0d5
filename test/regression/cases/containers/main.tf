# Containers as task definitions, Kubernetes and Cloud Run configurations write them.
resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    {
      name      = "web"
      image     = "nginx:latest" # expect: pinned-container-image
      essential = true
    },
    {
      name  = "sidecar"
      image = "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0" # ok: pinned-container-image
    },
  ])
}

resource "kubernetes_deployment" "api" {
  metadata {
    name = "api"
  }

  spec {
    template {
      metadata {
        labels = { app = "api" }
      }

      spec {
        container {
          name  = "api"
          image = "${var.registry}/api" # expect: pinned-container-image
        }

        container {
          name  = "proxy"
          image = "envoyproxy/envoy@sha256:4b5d1f1a6b8d0c4e2f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e" # ok: pinned-container-image
        }
      }
    }
  }
}

resource "google_cloud_run_v2_service" "app" {
  name     = "app"
  location = "europe-west1"

  template {
    containers {
      image = "europe-docker.pkg.dev/acme/app/app:${var.app_version}" # ok: pinned-container-image
    }
  }
}

variable "registry" {
  type = string
}

variable "app_version" {
  type = string
}
