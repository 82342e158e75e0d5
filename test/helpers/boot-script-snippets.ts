// Terraform texts shared by the no-boot-time-mutation tests.

/** An aws_instance whose user_data is `userData` (an HCL expression). */
export const instance = (userData: string) => `resource "aws_instance" "web" {\n  ami       = var.image\n  user_data = ${userData}\n}\n`;
