// A LOOPBACK stand-in for the few EC2 and Auto Scaling query actions the roll uses, for the real aws CLI (--endpoint-url); it records every call.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  action: string;
  params: Record<string, string>;
  /** The access key id from the SigV4 Authorization header and the session token header, as the CLI sent them. */
  accessKeyId: string;
  sessionToken: string;
}

/** How the next instance refreshes end: each start takes the next entry (default: Successful at the first poll). */
export type RefreshScript = "succeed" | "succeed-after-a-poll" | "fail-echoing-credentials" | "hang";

export interface LoopbackAws {
  url: string;
  calls: RecordedCall[];
  refreshScript: RefreshScript[];
  /** Health answers for GET /healthz, consumed in order, then 200. */
  health: number[];
  close(): Promise<void>;
  actions(): string[];
}

const EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
const ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
const escape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export async function startLoopbackAws(): Promise<LoopbackAws> {
  const calls: RecordedCall[] = [];
  const refreshScript: RefreshScript[] = [];
  const health: number[] = [];
  const launchTemplateId = "lt-0123456789abcdef0";
  let version = 1;
  let instances = ["i-0aaaaaaaaaaaaaaa1", "i-0aaaaaaaaaaaaaaa2"];
  const refreshes = new Map<string, { status: string; polls: number; script: RefreshScript; reason: string }>();
  let refreshCounter = 0;

  const asg = (action: string, body: string): string =>
    `<${action}Response xmlns="${ASG_NS}"><${action}Result>${body}</${action}Result><ResponseMetadata><RequestId>r-${calls.length}</RequestId></ResponseMetadata></${action}Response>`;
  const ec2 = (action: string, body: string): string =>
    `<${action}Response xmlns="${EC2_NS}"><requestId>r-${calls.length}</requestId>${body}</${action}Response>`;

  const handle = (call: RecordedCall): { status: number; xml: string } => {
    const p = call.params;
    switch (call.action) {
      case "DescribeAutoScalingGroups":
        return {
          status: 200,
          xml: asg(
            call.action,
            `<AutoScalingGroups><member><AutoScalingGroupName>${escape(p["AutoScalingGroupNames.member.1"] ?? "")}</AutoScalingGroupName><LaunchTemplate><LaunchTemplateId>${launchTemplateId}</LaunchTemplateId><LaunchTemplateName>web</LaunchTemplateName><Version>$Latest</Version></LaunchTemplate><MinSize>1</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity><Instances>${instances
              .map(
                (id) =>
                  `<member><InstanceId>${id}</InstanceId><LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus><AvailabilityZone>eu-west-1a</AvailabilityZone><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>`,
              )
              .join("")}</Instances></member></AutoScalingGroups>`,
          ),
        };
      case "CreateLaunchTemplateVersion":
        version += 1;
        return {
          status: 200,
          xml: ec2(
            call.action,
            `<launchTemplateVersion><launchTemplateId>${launchTemplateId}</launchTemplateId><versionNumber>${version}</versionNumber><launchTemplateData><imageId>${escape(p["LaunchTemplateData.ImageId"] ?? "")}</imageId></launchTemplateData></launchTemplateVersion>`,
          ),
        };
      case "StartInstanceRefresh": {
        refreshCounter += 1;
        const id = `00000000-0000-4000-8000-${String(refreshCounter).padStart(12, "0")}`;
        const script = refreshScript.shift() ?? "succeed";
        // A failure message that echoes the caller's credentials, as a careless error message might; the roll must redact it.
        const reason = script === "fail-echoing-credentials" ? `Access denied for ${call.accessKeyId} with token ${call.sessionToken}` : "";
        refreshes.set(id, { status: "Pending", polls: 0, script, reason });
        return { status: 200, xml: asg(call.action, `<InstanceRefreshId>${id}</InstanceRefreshId>`) };
      }
      case "DescribeInstanceRefreshes": {
        const id = p["InstanceRefreshIds.member.1"] ?? "";
        const r = refreshes.get(id);
        if (!r)
          return {
            status: 400,
            xml: `<ErrorResponse><Error><Code>ValidationError</Code><Message>no refresh ${escape(id)}</Message></Error></ErrorResponse>`,
          };
        r.polls += 1;
        // Every script but "succeed" shows InProgress first, so polling (and cancelling while it runs) is exercised.
        if (r.status !== "Cancelled")
          r.status =
            r.script === "hang" || (r.polls === 1 && r.script !== "succeed")
              ? "InProgress"
              : r.script === "fail-echoing-credentials"
                ? "Failed"
                : "Successful";
        if (r.status === "Successful") instances = instances.map((_, i) => `i-0bbbbbbbbbbb${String(refreshCounter).padStart(4, "0")}${i}`);
        return {
          status: 200,
          xml: asg(
            call.action,
            `<InstanceRefreshes><member><InstanceRefreshId>${id}</InstanceRefreshId><AutoScalingGroupName>web-asg</AutoScalingGroupName><Status>${r.status}</Status><PercentageComplete>${r.status === "Successful" ? 100 : 50}</PercentageComplete>${r.status === "Failed" ? `<StatusReason>${escape(r.reason)}</StatusReason>` : ""}</member></InstanceRefreshes>`,
          ),
        };
      }
      case "CancelInstanceRefresh":
        for (const [id, r] of refreshes) {
          if (r.status === "Pending" || r.status === "InProgress") {
            r.status = "Cancelled";
            return { status: 200, xml: asg(call.action, `<InstanceRefreshId>${id}</InstanceRefreshId>`) };
          }
        }
        return {
          status: 400,
          xml: `<ErrorResponse><Error><Code>ActiveInstanceRefreshNotFound</Code><Message>none</Message></Error></ErrorResponse>`,
        };
      case "DetachInstances":
        instances = instances.filter((i) => !Object.entries(p).some(([k, v]) => k.startsWith("InstanceIds.member.") && v === i));
        return { status: 200, xml: asg(call.action, "<Activities></Activities>") };
      case "CreateTags":
      case "DeregisterImage":
      case "DeleteSnapshot":
        return { status: 200, xml: ec2(call.action, "<return>true</return>") };
      case "DescribeImages": {
        const ami = p["ImageId.1"] ?? "";
        return {
          status: 200,
          xml: ec2(
            call.action,
            `<imagesSet><item><imageId>${escape(ami)}</imageId><blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><snapshotId>snap-0${ami.slice(-16)}</snapshotId></ebs></item></blockDeviceMapping></item></imagesSet>`,
          ),
        };
      }
      default:
        return {
          status: 400,
          xml: `<ErrorResponse><Error><Code>InvalidAction</Code><Message>loopback does not implement ${escape(call.action)}</Message></Error></ErrorResponse>`,
        };
    }
  };

  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(health.shift() ?? 200).end("ok");
      return;
    }
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const auth = String(req.headers.authorization ?? "");
      const call: RecordedCall = {
        action: params.Action ?? "",
        params,
        accessKeyId: /Credential=([^/]+)\//.exec(auth)?.[1] ?? "",
        sessionToken: String(req.headers["x-amz-security-token"] ?? ""),
      };
      calls.push(call);
      const { status, xml } = handle(call);
      res.writeHead(status, { "content-type": "text/xml" }).end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    refreshScript,
    health,
    actions: () => calls.map((c) => c.action),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
