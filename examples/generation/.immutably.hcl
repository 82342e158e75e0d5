# A local Roll New Generation demo: Packer's `file` builder bakes an "image" file, Terraform's built-in
# terraform_data resource "runs" it, and a verify script checks that the running generation is the new one.
# Run from this folder: npx immutably roll demo --yes
generation "demo" {
  packer_template = "images/demo.pkr.hcl"
  packer_vars     = { label = "demo" }
  terraform_dir   = "infra"
  image_variable  = "image"
  strategy        = "terraform"
  keep            = 2
  retire          = "destroy"

  verify {
    command = ["node", "scripts/verify.mjs"]
    timeout = "1m"
  }
}
