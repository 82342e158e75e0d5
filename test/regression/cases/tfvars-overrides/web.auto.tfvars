image = "ubuntu-24-04-x64"
