// A generation block and the `.immutably.hcl` it came from: what the roll commands and the views act on.
import type { GenerationConfig } from "../../server/src/roll/config.ts";

export interface GenerationChoice {
  configPath: string;
  generation: GenerationConfig;
}
