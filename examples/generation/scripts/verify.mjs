// The demo's smoke test: the running generation (Terraform state) must be the image just promoted, and that image must be healthy.
import fs from "node:fs";

const image = process.env.IMMUTABLY_IMAGE;
const fail = (message) => {
  console.error(`verify: ${message}`);
  process.exit(1);
};
if (!image) fail("IMMUTABLY_IMAGE is not set (run me through immutably)");
// Lets a demonstration show the automatic rollback: IMMUTABLY_DEMO_FAIL_VERIFY=1 npx immutably roll demo --yes
// fails the newest baked image only, so the generation put back afterwards still verifies.
if (process.env.IMMUTABLY_DEMO_FAIL_VERIFY === "1") {
  const dir = new URL("../images/out/", import.meta.url);
  const newest = Math.max(...fs.readdirSync(dir).map((f) => fs.statSync(new URL(f, dir)).mtimeMs));
  if (fs.statSync(image).mtimeMs >= newest) fail("IMMUTABLY_DEMO_FAIL_VERIFY=1: failing the newest image on purpose");
}
const state = JSON.parse(fs.readFileSync(new URL("../infra/terraform.tfstate", import.meta.url), "utf8"));
const running = state.outputs?.image?.value;
if (running !== image) fail(`Terraform runs ${JSON.stringify(running)}, expected ${JSON.stringify(image)}`);
const content = fs.readFileSync(image, "utf8");
if (!/^status=healthy$/m.test(content)) fail(`${image} is not a healthy image`);
console.log(`verify: generation ${process.env.IMMUTABLY_GENERATION} runs ${image} and is healthy`);
