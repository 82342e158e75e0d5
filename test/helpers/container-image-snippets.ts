// Terraform texts shared by the pinned-container-image tests: a Kubernetes deployment and an ECS task definition around an image.

/** A kubernetes_deployment whose one container has `image` (an HCL expression). */
export const k8s = (image: string) =>
  `resource "kubernetes_deployment" "web" {\n  spec {\n    template {\n      spec {\n        container {\n          image = ${image}\n        }\n      }\n    }\n  }\n}\n`;

/** An aws_ecs_task_definition whose container_definitions is `definitions` (an HCL expression). */
export const ecs = (definitions: string) =>
  `resource "aws_ecs_task_definition" "web" {\n  family                = "web"\n  container_definitions = ${definitions}\n}\n`;
