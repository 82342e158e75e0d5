// The 3,000-line module file of the editor benchmarks: droplets, some with findings, whole blocks only.

/** About `lines` lines of `digitalocean_droplet` blocks (stops at the first whole block at or past it). */
export function bigFile(lines: number): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    const lifecycle = i % 3 === 0 ? [] : ["", "  lifecycle {", "    create_before_destroy = true", "  }"];
    out.push(
      `resource "digitalocean_droplet" "web_${i}" {`,
      "  image  = var.web_image",
      `  name   = "web-${i}"`,
      '  region = "ams3"',
      '  size   = "s-1vcpu-1gb"',
      ...lifecycle,
      "}",
      "",
    );
  }
  // Whole blocks only: a file cut mid-block has a syntax error, which is not what the figures are about.
  return out.join("\n") + "\n";
}
