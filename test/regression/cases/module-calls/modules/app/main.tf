terraform {
  required_providers {
    aws = { # expect: pinned-provider-version
      source = "hashicorp/aws"
    }
    random = { # ok: pinned-provider-version
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

output "name" {
  value = "app"
}
