image = "ubuntu-22-04-x64"
lt_version = "$Latest"
