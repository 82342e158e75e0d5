// Pure argv builders for doctl (image pruning). Covered by argv contract tests only.
import { validated } from "../validate.ts";

/** Deletes a snapshot image without a prompt; `--` ends the options (doctl uses cobra, which honours it). */
export function doctlImageDeleteArgs(imageId: string): string[] {
  return ["compute", "image", "delete", "--force", "--", validated("digitaloceanImageId", "DigitalOcean image id", imageId)];
}
