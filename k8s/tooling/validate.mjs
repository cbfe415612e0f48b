// Offline schema check of Kubernetes manifests: `node validate.mjs FILE...` (a file of "-" reads
// standard input). Every YAML document is checked against the OpenAPI schema of its apiVersion/kind
// bundled with the kubernetes-models package, so no cluster or network is needed. Then a few
// cross-object rules of this repository's manifests are checked (see checkReferences), and, when the
// ENTRYPOINT environment variable names k8s/docker-entrypoint.sh, the configuration it derives for
// every pod of every StatefulSet (see checkCluster).
// Prints one line per object and exits 1 if anything is wrong (2 for a usage error).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.mjs FILE... ("-" reads standard input)');
  process.exit(2);
}

let failures = 0;
const objects = [];

function fail(where, message) {
  failures++;
  console.log(`${where} INVALID ${message}`);
}

async function schemaCheck(where, obj) {
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    fail(where, 'apiVersion and kind must be strings');
    return;
  }
  const slash = obj.apiVersion.indexOf('/');
  const modulePath = slash < 0
    ? `kubernetes-models/${obj.apiVersion}/${obj.kind}`
    : `kubernetes-models/${obj.apiVersion.slice(0, slash)}/${obj.apiVersion.slice(slash + 1)}/${obj.kind}`;
  let Model;
  try {
    Model = (await import(modulePath))[obj.kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== 'function') {
    fail(where, `no schema for ${obj.apiVersion} ${obj.kind}`);
    return;
  }
  try {
    new Model(obj).validate();
    console.log(`${where} OK`);
  } catch (e) {
    fail(where, String(e.message).split('\n').filter(Boolean).slice(0, 6).join(' | '));
  }
}

for (const file of files) {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  let index = 0;
  for (const doc of parseAllDocuments(text)) {
    index++;
    if (doc.errors.length > 0) {
      fail(`${file}#${index}`, `YAML: ${doc.errors[0].message.split('\n')[0]}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    if (typeof obj !== 'object' || Array.isArray(obj)) {
      fail(`${file}#${index}`, 'a document must be a mapping');
      continue;
    }
    const where = `${file}: ${obj.kind}/${obj.metadata?.name}`;
    objects.push({ where, obj });
    await schemaCheck(where, obj);
  }
}

// Runs the entrypoint (ENTRYPOINT_PRINT_ONLY) for every pod the StatefulSets would create, with the
// environment the pod would get, and checks that the result is one cluster: unique node ids, one
// voter set whose entries are exactly the controller pods at their stable DNS names and declared
// ports, and brokers advertising their own stable DNS name.
function checkCluster() {
  const entrypoint = process.env.ENTRYPOINT;
  if (!entrypoint) return;
  const namespace = 'validate-ns';
  const configMaps = new Map(objects.filter((o) => o.obj.kind === 'ConfigMap')
    .map((o) => [o.obj.metadata?.name, o.obj.data ?? {}]));
  const pods = [];
  for (const { where, obj } of objects.filter((o) => o.obj.kind === 'StatefulSet')) {
    const spec = obj.spec ?? {};
    const container = (spec.template?.spec?.containers ?? [])[0];
    if (!container) continue;
    for (let ordinal = 0; ordinal < (spec.replicas ?? 1); ordinal++) {
      const pod = `${obj.metadata.name}-${ordinal}`;
      const env = { PATH: process.env.PATH, HOSTNAME: pod, ENTRYPOINT_PRINT_ONLY: 'true' };
      for (const e of container.env ?? []) {
        if (e.value !== undefined) {
          env[e.name] = String(e.value);
        } else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.name') {
          env[e.name] = pod;
        } else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') {
          env[e.name] = namespace;
        } else if (e.valueFrom?.configMapKeyRef) {
          const ref = e.valueFrom.configMapKeyRef;
          const data = configMaps.get(ref.name);
          if (!data || !(ref.key in data)) {
            fail(where, `env ${e.name} refers to ConfigMap ${ref.name} key ${ref.key}, which is not rendered`);
          } else {
            env[e.name] = String(data[ref.key]);
          }
        }
      }
      let output;
      try {
        output = execFileSync('sh', [entrypoint], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        fail(`${where} pod ${pod}`, `docker-entrypoint.sh fails: ${String(e.stderr ?? e.message).trim()}`);
        continue;
      }
      const config = {};
      for (const line of output.split('\n')) {
        const m = /^TRIBUTARY_([A-Z0-9_]+)=(.*)$/.exec(line);
        if (m) config[m[1].toLowerCase().replaceAll('_', '.')] = m[2];
      }
      const ports = new Set((container.ports ?? []).map((p) => p.containerPort));
      pods.push({ where: `${where} pod ${pod}`, pod, service: spec.serviceName, ports, config });
    }
  }
  if (pods.length === 0) return;
  const ids = new Map();
  for (const p of pods) {
    const id = p.config['node.id'];
    if (ids.has(id)) fail(p.where, `node.id ${id} is also the id of ${ids.get(id)}`);
    ids.set(id, p.pod);
  }
  const voterSets = new Set(pods.map((p) => p.config['controller.quorum.voters']));
  if (voterSets.size !== 1) {
    fail('cluster', `pods disagree on controller.quorum.voters: ${[...voterSets].join(' vs ')}`);
    return;
  }
  const voters = new Map();
  for (const entry of [...voterSets][0].split(',')) {
    const m = /^(\d+)@([^:]+):(\d+)$/.exec(entry);
    if (!m) { fail('cluster', `voter '${entry}' is not id@host:port`); continue; }
    voters.set(m[1], { host: m[2], port: Number(m[3]) });
  }
  const dnsName = (p) => `${p.pod}.${p.service}.${namespace}.svc`;
  for (const p of pods) {
    const roles = (p.config['process.roles'] ?? '').split(',');
    const voter = voters.get(p.config['node.id']);
    if (roles.includes('controller')) {
      if (!voter) fail(p.where, `controller node ${p.config['node.id']} is not among the voters`);
      else if (voter.host !== dnsName(p)) fail(p.where, `its voter entry names ${voter.host}, not ${dnsName(p)}`);
      else if (!p.ports.has(voter.port)) fail(p.where, `voter port ${voter.port} is not a containerPort`);
    } else if (voter) {
      fail(p.where, `node ${p.config['node.id']} is a voter without the controller role`);
    }
    if (roles.includes('broker')) {
      const m = /^PLAINTEXT:\/\/([^:]+):(\d+)$/.exec(p.config['advertised.listeners'] ?? '');
      if (!m || m[1] !== dnsName(p)) {
        fail(p.where, `advertises '${p.config['advertised.listeners']}', not its stable name ${dnsName(p)}`);
      } else if (!p.ports.has(Number(m[2]))) {
        fail(p.where, `advertised port ${m[2]} is not a containerPort`);
      }
    }
  }
  for (const [id] of voters) {
    if (!pods.some((p) => p.config['node.id'] === id)) fail('cluster', `voter ${id} is no pod of the StatefulSets`);
  }
  if (failures === 0) {
    console.log(`cluster OK: ${pods.length} pods, nodes ${[...ids.keys()].join(',')}, voters ${[...voters.keys()].join(',')}`);
  }
}

// Rules the schemas cannot express, for the objects rendered together.
function checkReferences() {
  const of = (kind) => objects.filter((o) => o.obj.kind === kind);
  const services = new Map(of('Service').map((o) => [o.obj.metadata?.name, o.obj]));
  const matches = (selector, labels) =>
    selector && Object.keys(selector).length > 0
    && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
  for (const { where, obj } of of('StatefulSet')) {
    const spec = obj.spec ?? {};
    const podLabels = spec.template?.metadata?.labels ?? {};
    const headless = services.get(spec.serviceName);
    if (!headless) {
      fail(where, `serviceName ${spec.serviceName} names no Service in the same manifests`);
    } else if (headless.spec?.clusterIP !== 'None') {
      fail(where, `serviceName ${spec.serviceName} is not a headless Service (clusterIP: None)`);
    } else if (!matches(headless.spec?.selector, podLabels)) {
      fail(where, `headless Service ${spec.serviceName} does not select the pods`);
    }
    const roles = (spec.template?.spec?.containers?.[0]?.env ?? [])
      .find((e) => e.name === 'TRIBUTARY_PROCESS_ROLES')?.value ?? '';
    if (roles.split(',').includes('controller') && (spec.replicas ?? 1) > 1
        && spec.podManagementPolicy !== 'Parallel') {
      fail(where, 'controllers need podManagementPolicy: Parallel (a quorum cannot form one pod at a time)');
    }
    if (headless && headless.spec?.publishNotReadyAddresses !== true) {
      fail(where, `headless Service ${spec.serviceName} needs publishNotReadyAddresses: true (nodes must `
        + 'reach each other before they are Ready)');
    }
    if (!matches(spec.selector?.matchLabels, podLabels)) {
      fail(where, 'spec.selector.matchLabels does not match the pod template labels');
    }
    for (const c of spec.template?.spec?.containers ?? []) {
      if (!c.resources?.requests || !c.resources?.limits) {
        fail(where, `container ${c.name} needs resources.requests and resources.limits`);
      }
      if (!c.readinessProbe || !c.livenessProbe) {
        fail(where, `container ${c.name} needs a readinessProbe and a livenessProbe`);
      }
    }
  }
  for (const { where, obj } of of('PodDisruptionBudget')) {
    const selector = obj.spec?.selector?.matchLabels;
    const selected = of('StatefulSet').some((s) => matches(selector, s.obj.spec?.template?.metadata?.labels));
    if (!selected) fail(where, 'selects the pods of no StatefulSet');
  }
  for (const { where, obj } of of('Service')) {
    if (obj.spec?.clusterIP === 'None') continue;
    const selected = of('StatefulSet').some((s) => matches(obj.spec?.selector, s.obj.spec?.template?.metadata?.labels));
    if (!selected) fail(where, 'selects the pods of no StatefulSet');
  }
}
checkReferences();
checkCluster();
if (objects.length === 0) fail(files.join(' '), 'holds no Kubernetes object (did rendering fail?)');

console.log(failures === 0 ? `${objects.length} objects valid` : `${failures} problem(s)`);
process.exit(failures === 0 ? 0 : 1);
