# The demo "image": a file whose name is unique per bake, so that each generation is a new artifact and
# pruning one never touches another. The manifest post-processor records what was built.
variable "label" {
  type    = string
  default = "demo"
}

source "file" "image" {
  content = "status=healthy\nlabel=${var.label}\nbuilt=${timestamp()}\n"
  target  = "out/${var.label}-${uuidv4()}.img"
}

build {
  sources = ["source.file.image"]

  post-processor "manifest" {
    output = "packer-manifest.json"
  }
}
