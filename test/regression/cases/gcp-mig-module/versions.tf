terraform {
  required_version = ">= 1.3"

  required_providers {
    google = { # ok: pinned-provider-version
      source  = "hashicorp/google"
      version = ">= 4.48, < 7"
    }
    google-beta = { # expect: pinned-provider-version
      source = "hashicorp/google-beta"
    }
  }
}
