terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = { # ok: pinned-provider-version
      source  = "hashicorp/aws"
      version = ">= 5.46"
    }
  }
}
