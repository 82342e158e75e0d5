// Pure unit tests for artifact parsing: machine-readable lines and manifests for amazon, googlecompute, azure-arm, digitalocean, docker and file.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  builderKind,
  humanText,
  imageFromArtifact,
  parseMachineReadable,
  parseManifest,
  manifestEntryFor,
  selectArtifact,
  unescapeMachineField,
} from "../../server/src/roll/artifacts.ts";

const lines = (target: string, builderId: string, id: string, files: string[] = []): string[] => [
  `1700000000,${target},artifact-count,1`,
  `1700000000,${target},artifact,0,builder-id,${builderId}`,
  `1700000000,${target},artifact,0,id,${id}`,
  `1700000000,${target},artifact,0,string,An artifact`,
  `1700000000,${target},artifact,0,files-count,${files.length}`,
  ...files.map((f, i) => `1700000000,${target},artifact,0,file,${i},${f}`),
  `1700000000,${target},artifact,0,end`,
];

test("machine-readable fields unescape commas and line breaks", () => {
  assert.equal(unescapeMachineField("a%!(PACKER_COMMA)b\\nc"), "a,b\nc");
  assert.equal(humanText("1,,ui,say,==> done%!(PACKER_COMMA) ok"), "==> done, ok");
  assert.equal(humanText("1,file.image,artifact,0,id,File"), undefined);
  assert.equal(humanText("not machine readable"), "not machine readable");
});

test("amazon: region:ami pairs from machine-readable lines; the configured region's AMI is the image", () => {
  const machine = parseMachineReadable(
    lines("amazon-ebs.web", "mitchellh.amazonebs", "eu-west-1:ami-0aaaaaaaaaaaaaaaa%!(PACKER_COMMA)us-east-1:ami-0bbbbbbbbbbbbbbbb"),
  );
  assert.equal(machine[0].id, "eu-west-1:ami-0aaaaaaaaaaaaaaaa,us-east-1:ami-0bbbbbbbbbbbbbbbb");
  const a = selectArtifact(machine, "/w", "us-east-1");
  assert.deepEqual(a, {
    kind: "amazon",
    builder: "mitchellh.amazonebs",
    artifactId: "eu-west-1:ami-0aaaaaaaaaaaaaaaa,us-east-1:ami-0bbbbbbbbbbbbbbbb",
    image: "ami-0bbbbbbbbbbbbbbbb",
    regions: { "eu-west-1": "ami-0aaaaaaaaaaaaaaaa", "us-east-1": "ami-0bbbbbbbbbbbbbbbb" },
  });
  assert.equal(selectArtifact(machine, "/w").image, "ami-0aaaaaaaaaaaaaaaa");
  assert.throws(() => imageFromArtifact("amazon", "garbage", [], "/w"), /region:ami/);
});

test("a manifest alone is never taken as the bake's artifact: only this run's artifact lines are", () => {
  // Another build's manifest entry, with no artifact line from this run: there is no artifact.
  assert.throws(() => selectArtifact([], "/w"), /no artifact in its machine-readable output/);
  const machine = parseMachineReadable(lines("file.image", "packer.file", "File", ["out/this-run.img"]));
  assert.equal(selectArtifact(machine, "/w").image, "/w/out/this-run.img");
});

test("googlecompute: the image name", () => {
  const a = selectArtifact(parseMachineReadable(lines("googlecompute.web", "packer.googlecompute", "web-image-1700000000")), "/w");
  assert.deepEqual([a.kind, a.image], ["googlecompute", "web-image-1700000000"]);
});

test("azure-arm: the managed image id", () => {
  const id = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.Compute/images/web-1";
  const a = selectArtifact(parseMachineReadable(lines("azure-arm.web", "Azure.ResourceManagement.VMImage", id)), "/w");
  assert.deepEqual([a.kind, a.image], ["azure-arm", id]);
});

test("digitalocean: region:snapshot-id, several regions", () => {
  const a = selectArtifact(
    parseMachineReadable(lines("digitalocean.web", "pearkes.digitalocean", "nyc3%!(PACKER_COMMA)sfo3:123456789")),
    "/w",
  );
  assert.deepEqual(a, {
    kind: "digitalocean",
    builder: "pearkes.digitalocean",
    artifactId: "nyc3,sfo3:123456789",
    image: "123456789",
    regions: { nyc3: "123456789", sfo3: "123456789" },
  });
});

test("docker: the image id, or the tag from docker-tag when present", () => {
  const id = "sha256:0123456789abcdef";
  assert.equal(selectArtifact(parseMachineReadable(lines("docker.web", "packer.docker", id)), "/w").image, id);
  const tagged = [
    ...lines("docker.web", "packer.docker", id),
    "1,docker.web,artifact,1,builder-id,packer.post-processor.docker-tag",
    "1,docker.web,artifact,1,id,registry.example/web:7",
  ];
  const a = selectArtifact(parseMachineReadable(tagged), "/w");
  assert.deepEqual([a.kind, a.image], ["docker", "registry.example/web:7"]);
});

test("file: the absolute path of the first file, from machine-readable lines (as packer 1.6.6 prints them)", () => {
  const real = [
    "1795764447,file.image,artifact-count,2",
    "1795764447,file.image,artifact,0,builder-id,packer.file",
    "1795764447,file.image,artifact,0,id,File",
    "1795764447,file.image,artifact,0,string,Stored file: out/image-b0.img",
    "1795764447,file.image,artifact,0,files-count,1",
    "1795764447,file.image,artifact,0,file,0,out/image-b0.img",
    "1795764447,file.image,artifact,0,end",
  ];
  const a = selectArtifact(parseMachineReadable(real), "/work/images");
  assert.deepEqual(a, { kind: "file", builder: "packer.file", artifactId: "File", image: "/work/images/out/image-b0.img", regions: {} });
});

test("the run UUID is the manifest's for this very artifact, not the manifest's last run", () => {
  const manifest = parseManifest(
    JSON.stringify({
      builds: [
        { name: "image", builder_type: "file", files: [{ name: "out/mine.img", size: 1 }], artifact_id: "File", packer_run_uuid: "mine" },
        {
          name: "image",
          builder_type: "file",
          files: [{ name: "out/theirs.img", size: 1 }],
          artifact_id: "File",
          packer_run_uuid: "theirs",
        },
      ],
      last_run_uuid: "theirs",
    }),
  );
  assert.equal(manifest.length, 2, "every run's builds are read");
  const mine = selectArtifact(parseMachineReadable(lines("file.image", "packer.file", "File", ["out/mine.img"])), "/w");
  assert.equal(manifestEntryFor(mine, manifest, "/w")?.runUuid, "mine");
  const ami = selectArtifact(parseMachineReadable(lines("amazon-ebs.web", "mitchellh.amazonebs", "eu-west-1:ami-0ccccccccccccccc1")), "/w");
  assert.equal(
    manifestEntryFor(
      ami,
      parseManifest(
        JSON.stringify({
          builds: [{ name: "web", builder_type: "amazon-ebs", artifact_id: "eu-west-1:ami-0ccccccccccccccc1", packer_run_uuid: "r1" }],
        }),
      ),
      "/w",
    )?.runUuid,
    "r1",
  );
  assert.equal(manifestEntryFor(ami, manifest, "/w"), undefined, "no entry records this AMI");
});

test("no usable artifact is an error that names what was seen", () => {
  assert.throws(() => selectArtifact([], "/w"), /no artifact/);
  assert.throws(
    () => selectArtifact(parseMachineReadable(lines("vagrant.x", "mitchellh.vagrant", "box")), "/w"),
    /builders seen: mitchellh.vagrant/,
  );
  assert.throws(() => parseManifest("{}"), /no builds/);
});

test("builder kinds from ids and types", () => {
  assert.equal(builderKind("mitchellh.amazon.ebssurrogate"), "amazon");
  assert.equal(builderKind("amazon-ebs"), "amazon");
  assert.equal(builderKind("azure-arm"), "azure-arm");
  assert.equal(builderKind("file"), "file");
  assert.equal(builderKind("qemu"), undefined);
});
