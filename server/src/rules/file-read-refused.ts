// file-read-refused: a file named by file() or templatefile() that immutably does not read, reported by the engine where a rule asked for it.
import type { Rule } from "../engine/types.ts";

export const fileReadRefused: Rule = {
  meta: {
    id: "file-read-refused",
    severity: "warning",
    recommended: true,
    fix: "none",
    appliesTo: ["terraform", "packer"],
    docs: {
      summary:
        "A file named by `file()` or `templatefile()` was not read, so the rules that inspect scripts and definitions could not check it.",
      why:
        "Rules such as `no-boot-time-mutation` and `pinned-container-image` read the scripts and JSON that `file()` and `templatefile()` name, because a boot script " +
        "that installs packages breaks immutability as surely as an inline one. immutably reads only what is safe to read while linting a cloned repository or a pull request: " +
        "regular UTF-8 files inside the repository (the folder holding `.git`; without one, the linted folder or the editor's workspace folder), at most `max_file_bytes` long, " +
        "with symbolic links followed only as far as they stay inside. A path outside the repository (absolute, `../`, or a link leading out), a FIFO or device, " +
        "or a file over the limit is not read, and this finding says so instead of passing the file as checked. Nothing from such a file ever appears in a finding.",
      reportedAt: "the path argument of the `file()` or `templatefile()` call",
      bad: [
        {
          filename: "main.tf",
          code:
            'resource "aws_instance" "web" {\n  ami                         = "ami-0123456789abcdef0"\n  user_data                   = file("/etc/cloud/init.sh")\n  user_data_replace_on_change = true\n\n' +
            "  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
        },
      ],
      good: [
        {
          filename: "main.tf",
          code:
            'resource "aws_instance" "web" {\n  ami                         = "ami-0123456789abcdef0"\n  user_data                   = file("${path.module}/init.sh")\n  user_data_replace_on_change = true\n\n' +
            "  lifecycle {\n    create_before_destroy = true\n  }\n}\n",
        },
      ],
      fixSafety:
        "There is no automatic fix: keep the file in the repository, as a regular file under the size limit, or raise `max_file_bytes` in `.immutably.hcl`.",
    },
    options: {},
  },
  check() {
    // The engine reports refused reads where a rule asks for a file; there is nothing left to check here.
  },
};
