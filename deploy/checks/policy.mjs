// Policy checks on rendered Kubernetes manifests: what the Kubernetes schemas do not catch.
// policyViolations(docs) returns one line per violation, [] when the manifests follow every rule.

const FLOATING_TAGS = new Set(['latest', 'stable', 'main', 'master', 'edge', 'nightly', 'dev', 'develop', 'rolling', 'current']);
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|ACCESS_KEY|API_KEY|PRIVATE_KEY|CREDENTIAL)/i;
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

export const id = (doc) => `${doc.kind}/${doc.metadata?.name}`;
const isHook = (doc) => Boolean(doc.metadata?.annotations?.['helm.sh/hook']);

export function podSpec(doc) {
  if (doc.kind === 'Pod') return doc.spec ?? {};
  if (doc.kind === 'CronJob') return doc.spec?.jobTemplate?.spec?.template?.spec ?? {};
  return doc.spec?.template?.spec ?? {};
}

export function podLabels(doc) {
  if (doc.kind === 'Pod') return doc.metadata?.labels ?? {};
  if (doc.kind === 'CronJob') return doc.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  return doc.spec?.template?.metadata?.labels ?? {};
}

const workloads = (docs) => docs.filter((d) => WORKLOADS.has(d.kind));
const matches = (selector, labels) =>
  Object.keys(selector ?? {}).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const containersOf = (doc) => {
  const spec = podSpec(doc);
  return [
    ...(spec.initContainers ?? []).map((c) => ({ c, init: true })),
    ...(spec.containers ?? []).map((c) => ({ c, init: false })),
  ];
};

// An image is pinned by a digest, or by an exact version tag (has a digit, is not a moving tag).
export function imagePinProblem(image) {
  if (typeof image !== 'string' || image === '') return 'no image';
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return null;
  if (image.includes('@')) return 'a malformed digest';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'no tag (means latest)';
  const tag = image.slice(colon + 1);
  if (FLOATING_TAGS.has(tag.toLowerCase())) return `the moving tag "${tag}"`;
  if (!/[0-9]/.test(tag)) return `the tag "${tag}", which names no version`;
  return null;
}

function containerPorts(doc) {
  const names = new Set();
  const numbers = new Set();
  for (const { c } of containersOf(doc)) {
    for (const p of c.ports ?? []) {
      if (p.name) names.add(p.name);
      numbers.add(p.containerPort);
    }
  }
  return { names, numbers };
}

const hasPort = (ports, port) => (typeof port === 'string' ? ports.names.has(port) : ports.numbers.has(port));

function probePorts(probe) {
  const handler = probe?.httpGet ?? probe?.tcpSocket ?? probe?.grpc;
  return handler?.port === undefined ? [] : [handler.port];
}

export function policyViolations(docs) {
  const out = [];
  const pods = workloads(docs);

  for (const doc of pods) {
    const spec = podSpec(doc);
    const psc = spec.securityContext ?? {};
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push(`${id(doc)}: uses the host's namespaces`);
    if (doc.kind !== 'Pod' && doc.kind !== 'CronJob') {
      const sel = doc.spec?.selector?.matchLabels;
      if (!sel || !matches(sel, podLabels(doc))) {
        out.push(`${id(doc)}: selector ${JSON.stringify(sel)} does not match its pod labels ${JSON.stringify(podLabels(doc))}`);
      }
    }
    for (const { c, init } of containersOf(doc)) {
      const where = `${id(doc)} container ${c.name}`;
      const problem = imagePinProblem(c.image);
      if (problem) out.push(`${where}: image ${c.image} is not pinned (${problem})`);
      if (!init && !isHook(doc)) {
        if (!c.livenessProbe) out.push(`${where}: no livenessProbe`);
        if (!c.readinessProbe) out.push(`${where}: no readinessProbe`);
      }
      const ports = { names: new Set((c.ports ?? []).map((p) => p.name)), numbers: new Set((c.ports ?? []).map((p) => p.containerPort)) };
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
        for (const port of probePorts(probe)) {
          if (!hasPort(ports, port)) out.push(`${where}: a probe targets port ${port}, which the container does not declare`);
        }
      }
      const r = c.resources ?? {};
      if (!r.requests?.cpu || !r.requests?.memory || !r.limits?.memory) {
        out.push(`${where}: resources need requests.cpu, requests.memory and limits.memory`);
      }
      const sc = c.securityContext ?? {};
      const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
      const user = sc.runAsUser ?? psc.runAsUser;
      if (nonRoot !== true) out.push(`${where}: runAsNonRoot is not true`);
      if (user === 0) out.push(`${where}: runs as uid 0`);
      if (sc.privileged === true) out.push(`${where}: privileged`);
      if (sc.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) out.push(`${where}: readOnlyRootFilesystem is not true`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${where}: capabilities.drop lacks ALL`);
      if ((sc.capabilities?.add ?? []).length) out.push(`${where}: adds capabilities`);
      const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${where}: no RuntimeDefault seccompProfile`);
      for (const e of c.env ?? []) {
        if (e.value !== undefined && SECRET_NAME.test(e.name) && !/_FILE$/.test(e.name) && !String(e.value).startsWith('/')) {
          out.push(`${where}: env ${e.name} inlines a secret value (use secretKeyRef or a mounted file)`);
        }
      }
    }
  }

  for (const doc of docs) {
    if (doc.kind === 'Secret') {
      const ann = doc.metadata?.annotations ?? {};
      if (doc.stringData) out.push(`${id(doc)}: stringData inlines a secret`);
      if (ann['helm.sh/resource-policy'] !== 'keep' || ann['ducklake.io/generated'] !== 'true') {
        out.push(`${id(doc)}: a Secret in the manifests must be one the chart generates once (helm.sh/resource-policy: keep); other secrets are referenced with existingSecret`);
      }
    }
    if (doc.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries(doc.data ?? {})) {
        if (SECRET_NAME.test(k) && !/_FILE$/.test(k)) out.push(`${id(doc)}: key ${k} looks like a secret`);
        if (/\bdl_[0-9a-f]{64}\b/.test(v) || /:\/\/[^/\s:@]+:[^/\s@]+@/.test(v)) out.push(`${id(doc)}: ${k} holds a token or a password`);
      }
    }
  }

  const services = docs.filter((d) => d.kind === 'Service');
  for (const svc of services) {
    const selected = pods.filter((w) => !isHook(w) && matches(svc.spec?.selector, podLabels(w)));
    if (!svc.spec?.selector) continue; // a Service without selector is managed by hand
    if (selected.length === 0) {
      out.push(`${id(svc)}: selector ${JSON.stringify(svc.spec.selector)} matches no workload`);
      continue;
    }
    for (const p of svc.spec.ports ?? []) {
      const target = p.targetPort ?? p.port;
      for (const w of selected) {
        if (!hasPort(containerPorts(w), target)) out.push(`${id(svc)}: port ${p.name ?? p.port} targets ${target}, which ${id(w)} does not declare`);
      }
    }
  }

  for (const doc of docs) {
    if (doc.kind === 'PodDisruptionBudget' && !pods.some((w) => matches(doc.spec?.selector?.matchLabels, podLabels(w)))) {
      out.push(`${id(doc)}: selector matches no workload`);
    }
    if (doc.kind === 'NetworkPolicy') {
      const selected = pods.filter((w) => matches(doc.spec?.podSelector?.matchLabels, podLabels(w)));
      if (selected.length === 0) out.push(`${id(doc)}: podSelector matches no workload`);
      for (const rule of doc.spec?.ingress ?? []) {
        for (const p of rule.ports ?? []) {
          for (const w of selected) {
            if (p.port !== undefined && !hasPort(containerPorts(w), p.port)) out.push(`${id(doc)}: port ${p.port} is not a port of ${id(w)}`);
          }
        }
        for (const peer of rule.from ?? []) {
          if (peer.podSelector?.matchLabels && !peer.namespaceSelector && !pods.some((w) => matches(peer.podSelector.matchLabels, podLabels(w)))) {
            out.push(`${id(doc)}: allows traffic from pods ${JSON.stringify(peer.podSelector.matchLabels)}, which no workload has`);
          }
        }
      }
    }
    if (doc.kind === 'HorizontalPodAutoscaler') {
      const ref = doc.spec?.scaleTargetRef ?? {};
      if (!docs.some((d) => d.kind === ref.kind && d.metadata?.name === ref.name)) out.push(`${id(doc)}: scales ${ref.kind}/${ref.name}, which does not exist`);
      const target = docs.find((d) => d.kind === ref.kind && d.metadata?.name === ref.name);
      if (target?.spec?.replicas !== undefined) out.push(`${id(doc)}: ${ref.kind}/${ref.name} also sets replicas, which fights the autoscaler`);
    }
    if (doc.kind === 'Ingress') {
      for (const rule of doc.spec?.rules ?? []) {
        for (const path of rule.http?.paths ?? []) {
          const backend = path.backend?.service ?? {};
          const svc = services.find((s) => s.metadata?.name === backend.name);
          if (!svc) {
            out.push(`${id(doc)}: backend Service ${backend.name} does not exist`);
            continue;
          }
          const ok = (svc.spec?.ports ?? []).some((p) => (backend.port?.name ? p.name === backend.port.name : p.port === backend.port?.number));
          if (!ok) out.push(`${id(doc)}: backend port ${JSON.stringify(backend.port)} is not a port of ${id(svc)}`);
        }
      }
    }
    if (doc.kind === 'ServiceMonitor') {
      const selected = services.filter((s) => matches(doc.spec?.selector?.matchLabels, s.metadata?.labels));
      if (selected.length === 0) out.push(`${id(doc)}: selector matches no Service`);
      for (const ep of doc.spec?.endpoints ?? []) {
        if (ep.port && !selected.some((s) => (s.spec?.ports ?? []).some((p) => p.name === ep.port))) {
          out.push(`${id(doc)}: endpoint port ${ep.port} is not a named port of the selected Services`);
        }
      }
    }
  }
  return out;
}

// The shape of a monitoring.coreos.com/v1 ServiceMonitor (a CRD kubernetes-models does not know).
export function serviceMonitorProblems(doc) {
  const out = [];
  const duration = /^(0|([0-9]+(ms|s|m|h))+)$/;
  if (doc.apiVersion !== 'monitoring.coreos.com/v1') out.push('apiVersion must be monitoring.coreos.com/v1');
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(doc.metadata?.name ?? '')) out.push('metadata.name must be a DNS name');
  const spec = doc.spec;
  if (!spec || typeof spec !== 'object') return [...out, 'spec is required'];
  const known = new Set(['endpoints', 'selector', 'namespaceSelector', 'jobLabel', 'targetLabels', 'podTargetLabels', 'sampleLimit', 'attachMetadata']);
  for (const k of Object.keys(spec)) if (!known.has(k)) out.push(`spec.${k} is not a ServiceMonitor field`);
  if (!spec.selector || typeof spec.selector !== 'object') out.push('spec.selector is required');
  else if (spec.selector.matchLabels && Object.values(spec.selector.matchLabels).some((v) => typeof v !== 'string')) out.push('spec.selector.matchLabels values must be strings');
  if (spec.namespaceSelector?.matchNames && !Array.isArray(spec.namespaceSelector.matchNames)) out.push('spec.namespaceSelector.matchNames must be a list');
  if (!Array.isArray(spec.endpoints) || spec.endpoints.length === 0) out.push('spec.endpoints must be a non-empty list');
  for (const [i, ep] of (spec.endpoints ?? []).entries()) {
    const epKnown = new Set(['port', 'targetPort', 'path', 'scheme', 'interval', 'scrapeTimeout', 'tlsConfig', 'honorLabels', 'bearerTokenSecret', 'authorization', 'relabelings', 'metricRelabelings', 'params', 'basicAuth', 'followRedirects', 'enableHttp2']);
    for (const k of Object.keys(ep)) if (!epKnown.has(k)) out.push(`spec.endpoints[${i}].${k} is not an endpoint field`);
    if (typeof ep.port !== 'string' && ep.targetPort === undefined) out.push(`spec.endpoints[${i}] needs a port name`);
    if (ep.path !== undefined && !String(ep.path).startsWith('/')) out.push(`spec.endpoints[${i}].path must start with /`);
    if (ep.scheme !== undefined && !['http', 'https'].includes(ep.scheme)) out.push(`spec.endpoints[${i}].scheme must be http or https`);
    for (const k of ['interval', 'scrapeTimeout']) if (ep[k] !== undefined && !duration.test(ep[k])) out.push(`spec.endpoints[${i}].${k} must be a duration like 30s`);
  }
  return out;
}
