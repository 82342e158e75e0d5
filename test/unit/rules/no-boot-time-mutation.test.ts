// Tests for no-boot-time-mutation (strings, heredocs, wrappers, followed files, cloud-init, metadata keys, JSON syntax).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findMutation } from "../../../server/src/rules/no-boot-time-mutation.ts";
import { instance } from "../../helpers/boot-script-snippets.ts";
import { ruleTester } from "../../helpers/rule-tester.ts";

describe("findMutation", () => {
  const command = (script: string) => findMutation(script)?.command;
  it("names package installs and upgrades, with options before the verb", () => {
    assert.equal(command("#!/bin/sh\nsudo apt-get -y install nginx && systemctl start nginx\n"), "apt-get -y install nginx");
    assert.equal(command("DEBIAN_FRONTEND=noninteractive apt-get -qq upgrade"), "apt-get -qq upgrade");
    assert.equal(command("yum update -y"), "yum update -y");
    assert.equal(command("dnf install -y httpd; echo done"), "dnf install -y httpd");
    assert.equal(command("apt-get install -y nginx # the web server"), "apt-get install -y nginx");
    assert.equal(command("apk add --no-cache curl"), "apk add --no-cache curl");
    assert.equal(command("zypper --non-interactive in nginx"), "zypper --non-interactive in nginx");
    assert.equal(command("pip3 install flask"), "pip3 install flask");
    assert.equal(command("python3 -m pip install -r requirements.txt"), "python3 -m pip install -r requirements.txt");
    assert.equal(command("npm install -g pm2"), "npm install -g pm2");
    assert.equal(command("gem install bundler"), "gem install bundler");
    assert.equal(command("choco install -y git"), "choco install -y git");
  });
  it("names a download to a file that a later command runs", () => {
    assert.equal(
      command("#!/bin/sh\ncd /tmp\ncurl -fsSLO https://get.example.com/install.sh\nbash install.sh --yes\n"),
      "curl -fsSLO https://get.example.com/install.sh then bash install.sh --yes",
    );
    assert.equal(findMutation("#!/bin/sh\ncd /tmp\ncurl -fsSLO https://get.example.com/install.sh\nbash install.sh\n")?.line, 2);
    assert.equal(
      command("curl -o /tmp/agent.sh https://x.example/a && chmod +x /tmp/agent.sh && /tmp/agent.sh"),
      "curl -o /tmp/agent.sh https://x.example/a then /tmp/agent.sh",
    );
    assert.equal(
      command("wget -q https://x.example/app_1.0_amd64.deb\nsudo dpkg -i app_1.0_amd64.deb"),
      "wget -q https://x.example/app_1.0_amd64.deb then sudo dpkg -i app_1.0_amd64.deb",
    );
    assert.equal(
      command("wget -qO setup.sh https://x.example/s\nsh ./setup.sh"),
      "wget -qO setup.sh https://x.example/s then sh ./setup.sh",
    );
    assert.equal(
      command("Invoke-WebRequest -Uri https://x.example/setup.ps1 -OutFile setup.ps1\npowershell -File setup.ps1"),
      "Invoke-WebRequest -Uri https://x.example/setup.ps1 -OutFile setup.ps1 then powershell -File setup.ps1",
    );
    assert.equal(
      command("#cloud-config\nruncmd:\n  - curl -LO https://x.example/tool.sh\n  - sh tool.sh\n"),
      "curl -LO https://x.example/tool.sh then sh tool.sh",
    );
  });
  it("leaves downloads that nothing runs alone", () => {
    assert.equal(command("curl -o /etc/app/config.json https://x.example/config.json\ncat /etc/app/config.json"), undefined);
    assert.equal(command("curl -O https://x.example/install.sh\nsh ./other.sh"), undefined);
    assert.equal(command("wget https://x.example/data.tar.gz\ntar xzf data.tar.gz"), undefined);
  });
  it("names downloads piped into a shell, clones and configuration management", () => {
    assert.equal(command("curl -fsSL https://get.docker.com | sh"), "curl -fsSL https://get.docker.com | sh");
    assert.equal(
      command("wget -qO- https://x.example/i.sh | sudo -E bash -s -- --yes"),
      "wget -qO- https://x.example/i.sh | sudo -E bash -s -- --yes",
    );
    assert.equal(command("bash <(curl -s https://x.example/i.sh)"), "bash <(curl -s https://x.example/i.sh)");
    assert.equal(command("cd /opt && git clone https://example.com/app.git"), "git clone https://example.com/app.git");
    assert.equal(command("chef-client -z -o recipe[web]"), "chef-client -z -o recipe[web]");
    assert.equal(command("puppet apply /etc/puppet/site.pp"), "puppet apply /etc/puppet/site.pp");
    assert.equal(command("ansible-pull -U https://example.com/playbooks.git"), "ansible-pull -U https://example.com/playbooks.git");
    assert.equal(command("salt-call --local state.apply"), "salt-call --local state.apply");
  });
  it("reads cloud-init documents", () => {
    assert.equal(command("#cloud-config\npackages:\n  - nginx\n"), "cloud-init packages:");
    assert.equal(command("#cloud-config\npackage_update: true\n"), "cloud-init package_update: true");
    assert.equal(command("#cloud-config\npackage_upgrade: true\n"), "cloud-init package_upgrade: true");
    assert.equal(command("#cloud-config\nruncmd:\n  - apt-get install -y nginx\n"), "apt-get install -y nginx");
    assert.equal(command("#cloud-config\npackages: []\npackage_update: false\n"), undefined);
  });
  it("leaves configuration, comments and list refreshes alone", () => {
    assert.equal(command("#!/bin/bash\necho ENV=prod > /etc/app.env\nsystemctl restart app\n"), undefined);
    assert.equal(command("# apt-get install -y nginx\n"), undefined);
    assert.equal(command("apt-get update\napk update\n"), undefined);
    assert.equal(command("curl -fsSL https://example.com/health"), undefined);
    assert.equal(command("packages:\n  - nginx\n"), undefined);
  });
  it("stays fast on long option runs and long lines", () => {
    const started = performance.now();
    assert.equal(command(`apt-get${" --a".repeat(5000)} x`), undefined);
    assert.equal(command(`${"curl ".repeat(20000)}\napt-get install -y nginx`), "apt-get install -y nginx");
    assert.ok(performance.now() - started < 1000, "matching took too long");
  });
  it("gives the line of the command", () => {
    assert.equal(findMutation("#!/bin/sh\r\nset -e\r\napt-get install -y nginx\r\n")?.line, 2);
  });
});

ruleTester("no-boot-time-mutation", {
  valid: [
    { name: "settings only", code: instance('"#!/bin/sh\\necho ENV=prod > /etc/app.env\\n"') },
    { name: "no boot script", code: 'resource "aws_instance" "web" {\n  ami = var.image\n}\n' },
    { name: "unknown variable", code: instance("var.user_data") },
    { name: "unreadable file", code: instance('file("${path.module}/missing.sh")') },
    { name: "a file with settings only", code: instance('file("${path.module}/boot.sh")'), files: { "boot.sh": "#!/bin/sh\necho ok\n" } },
    {
      name: "other metadata keys",
      code: 'resource "google_compute_instance" "vm" {\n  metadata = {\n    enable-oslogin = "TRUE"\n    ssh-keys       = "apt-get install"\n  }\n}\n',
    },
    {
      name: "cloud-init that only writes files",
      code: instance("<<-EOT\n    #cloud-config\n    write_files:\n      - path: /etc/app.env\n        content: ENV=prod\n  EOT"),
    },
    { name: "base64 of settings only", code: 'resource "aws_instance" "web" {\n  user_data_base64 = "IyEvYmluL3NoCmVjaG8gb2sK"\n}\n' },
  ],
  invalid: [
    {
      name: "heredoc",
      code: instance("<<-EOT\n    #!/bin/bash\n    apt-get update\n    apt-get install -y nginx\n  EOT"),
      errors: [
        {
          line: 6,
          column: 5,
          endLine: 6,
          endColumn: 29,
          message:
            'user_data installs or upgrades packages at boot ("apt-get install -y nginx"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "an installer downloaded with curl -O and run on a later line",
      code: instance(
        "<<-EOT\n    #!/bin/bash\n    cd /tmp\n    curl -fsSLO https://get.example.com/install.sh\n    bash install.sh\n  EOT",
      ),
      errors: [
        {
          line: 6,
          column: 5,
          endLine: 6,
          endColumn: 51,
          message:
            'user_data downloads and runs a script at boot ("curl -fsSLO https://get.example.com/install.sh then bash install.sh"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "quoted string",
      code: instance('"#!/bin/sh\\ncurl -sSL https://get.example.com | bash\\n"'),
      errors: [
        {
          line: 3,
          column: 27,
          endLine: 3,
          endColumn: 67,
          message:
            'user_data downloads and runs a script at boot ("curl -sSL https://get.example.com | bash"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "base64encode(file()) is followed and the file line named",
      code: 'resource "aws_launch_template" "lt" {\n  user_data = base64encode(file("${path.module}/scripts/boot.sh"))\n}\n',
      files: { "scripts/boot.sh": "#!/bin/bash\nset -euo pipefail\ngit clone https://example.com/app.git /opt/app\n" },
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 67,
          message:
            'user_data clones code at boot ("git clone https://example.com/app.git /opt/app", scripts/boot.sh line 3): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "templatefile with variables",
      code: 'resource "aws_instance" "web" {\n  user_data = templatefile("boot.tpl", { env = "prod" })\n}\n',
      files: { "boot.tpl": "#!/bin/bash\necho ENV=${env} > /etc/env\npip install -r /opt/app/requirements.txt\n" },
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 57,
          message:
            'user_data installs or upgrades packages at boot ("pip install -r /opt/app/requirements.txt", boot.tpl line 3): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "cloud-init packages in a heredoc",
      code: instance("<<EOF\n#cloud-config\npackages:\n  - nginx\nEOF"),
      errors: [
        {
          line: 5,
          column: 1,
          endLine: 5,
          endColumn: 10,
          message:
            'user_data installs or upgrades packages at boot ("cloud-init packages:"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "cloud-init package_upgrade",
      code: instance('"#cloud-config\\npackage_upgrade: true\\n"'),
      errors: [
        {
          line: 3,
          column: 31,
          endLine: 3,
          endColumn: 52,
          message:
            'user_data installs or upgrades packages at boot ("cloud-init package_upgrade: true"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "through a local",
      code: `locals {\n  boot = "#!/bin/sh\\nyum install -y httpd\\n"\n}\n\n${instance("local.boot")}`,
      errors: [
        {
          line: 7,
          column: 3,
          endLine: 7,
          endColumn: 25,
          message:
            'user_data installs or upgrades packages at boot ("yum install -y httpd"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "through a variable default in another file",
      code: instance("var.boot"),
      files: { "variables.tf": 'variable "boot" {\n  default = "#!/bin/sh\\nnpm ci\\n"\n}\n' },
      errors: [
        {
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 23,
          message:
            'user_data installs or upgrades packages at boot ("npm ci"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "through tfvars",
      code: instance("var.boot"),
      files: { "variables.tf": 'variable "boot" {\n  type = string\n}\n', "terraform.tfvars": 'boot = "gem install bundler"\n' },
      errors: [
        {
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 23,
          message:
            'user_data installs or upgrades packages at boot ("gem install bundler"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "template with an unknown interpolation",
      code: instance('"#!/bin/sh\\nexport ENV=${var.env}\\nsalt-call --local state.apply\\n"'),
      errors: [
        {
          line: 3,
          column: 50,
          endLine: 3,
          endColumn: 79,
          message:
            'user_data runs configuration management at boot ("salt-call --local state.apply"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "GCP metadata_startup_script and metadata keys",
      code: 'resource "google_compute_instance" "vm" {\n  metadata_startup_script = "apt-get install -y nginx"\n  metadata = {\n    startup-script = "puppet agent -t"\n    "user-data"    = "#cloud-config\\npackage_update: true\\n"\n  }\n}\n',
      errors: [
        {
          line: 2,
          column: 30,
          endLine: 2,
          endColumn: 54,
          message:
            'metadata_startup_script installs or upgrades packages at boot ("apt-get install -y nginx"): machines from the same image end up different. Bake it into the image instead.',
        },
        {
          line: 4,
          column: 23,
          endLine: 4,
          endColumn: 38,
          message:
            'metadata "startup-script" runs configuration management at boot ("puppet agent -t"): machines from the same image end up different. Bake it into the image instead.',
        },
        {
          line: 5,
          column: 38,
          endLine: 5,
          endColumn: 58,
          message:
            'metadata "user-data" installs or upgrades packages at boot ("cloud-init package_update: true"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "Azure custom_data in base64 and in a nested os_profile",
      code:
        'resource "azurerm_linux_virtual_machine" "vm" {\n  custom_data = "IyEvYmluL3NoCmFwdC1nZXQgaW5zdGFsbCAteSBuZ2lueAo="\n}\n\n' +
        'resource "azurerm_virtual_machine" "old" {\n  os_profile {\n    custom_data = base64encode("dnf -y upgrade")\n  }\n}\n',
      errors: [
        {
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 67,
          message:
            'custom_data installs or upgrades packages at boot ("apt-get install -y nginx"): machines from the same image end up different. Bake it into the image instead.',
        },
        {
          line: 7,
          column: 33,
          endLine: 7,
          endColumn: 47,
          message:
            'custom_data installs or upgrades packages at boot ("dnf -y upgrade"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "cloudinit_config parts",
      code:
        'data "cloudinit_config" "boot" {\n  part {\n    content_type = "text/x-shellscript"\n    content      = file("${path.module}/boot.sh")\n  }\n}\n\n' +
        'resource "aws_instance" "web" {\n  user_data = data.cloudinit_config.boot.rendered\n}\n',
      files: { "boot.sh": "#!/bin/sh\napk add nginx\n" },
      errors: [
        {
          line: 9,
          column: 3,
          endLine: 9,
          endColumn: 50,
          message:
            'user_data installs or upgrades packages at boot ("apk add nginx", boot.sh line 2): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "CRLF heredoc",
      code: instance("<<-EOT\r\n    #!/bin/bash\r\n    zypper -n install nginx\r\n  EOT").replace(/(?<!\r)\n/g, "\r\n"),
      errors: [
        {
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 28,
          message:
            'user_data installs or upgrades packages at boot ("zypper -n install nginx"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "JSON syntax, file() of a local in an interpolation",
      filename: "main.tf.json",
      code: '{\n  "locals": { "boot": "boot.sh" },\n  "resource": {\n    "aws_instance": {\n      "web": { "user_data": "${base64encode(file(local.boot))}" }\n    }\n  }\n}\n',
      files: { "boot.sh": "#!/bin/sh\napt-get install -y nginx\n" },
      errors: [
        {
          line: 5,
          column: 16,
          endLine: 5,
          endColumn: 64,
          message:
            'user_data installs or upgrades packages at boot ("apt-get install -y nginx", boot.sh line 2): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
    {
      name: "JSON syntax metadata key",
      filename: "main.tf.json",
      code: '{\n  "resource": {\n    "google_compute_instance": {\n      "vm": { "metadata": { "startup-script": "git clone x" } }\n    }\n  }\n}\n',
      errors: [
        {
          line: 4,
          column: 48,
          endLine: 4,
          endColumn: 59,
          message:
            'metadata "startup-script" clones code at boot ("git clone x"): machines from the same image end up different. Bake it into the image instead.',
        },
      ],
    },
  ],
});
