lb_private_ip = "10.0.1.5"
app_version   = "2.4.1"
