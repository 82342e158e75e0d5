#!/bin/bash
echo "ROLE=web" > /etc/role
pip3 install --upgrade awscli
