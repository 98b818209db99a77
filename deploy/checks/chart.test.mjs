// Offline checks of the DuckLake Helm chart (deploy/helm/ducklake), run with `node --test`:
// helm lint, rendering with the default and ci/ values, Kubernetes schema validation of every
// rendered document (kubernetes-models), the policies of policy.mjs (and a self-test that they
// catch bad manifests), values.schema.json refusing the values under bad-values/, and, when
// build/ducklake exists, the server accepting the chart's settings and its generated admin token.
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parseDocument, isMap, parse as parseYaml } from 'yaml';
import { policyViolations, serviceMonitorProblems, imagePinProblem, podSpec, id } from './policy.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHART = resolve(HERE, '../helm/ducklake');
const HELM = process.env.HELM ?? join(HERE, '.bin/helm');
const DUCKLAKE = process.env.DUCKLAKE_BIN ?? resolve(HERE, '../../build/ducklake');
const CI_FILES = readdirSync(join(CHART, 'ci')).filter((f) => f.endsWith('.yaml')).sort();
const BAD_FILES = readdirSync(join(HERE, 'bad-values')).filter((f) => f.endsWith('.yaml')).sort();

function helm(args) {
  const r = spawnSync(HELM, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return r;
}

function render(valuesFiles = [], extra = []) {
  const args = ['template', 'ducklake', CHART, '--namespace', 'lake'];
  for (const f of valuesFiles) args.push('-f', f);
  return helm([...args, ...extra]);
}

function parseDocs(text) {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(`rendered YAML does not parse: ${d.errors[0].message}`);
      return d.toJS();
    })
    .filter((d) => d && typeof d === 'object');
}

function renderDocs(valuesFiles = [], extra = []) {
  const r = render(valuesFiles, extra);
  assert.equal(r.status, 0, `helm template failed:\n${r.stderr}`);
  return parseDocs(r.stdout);
}

// kubernetes-models/<group>/<version>/<Kind>; the core group is kubernetes-models/v1/<Kind>.
async function k8sModel(apiVersion, kind) {
  const mod = await import(`kubernetes-models/${apiVersion}/${kind}`);
  return mod[kind];
}

async function schemaProblems(doc) {
  if (doc.apiVersion === 'monitoring.coreos.com/v1' && doc.kind === 'ServiceMonitor') return serviceMonitorProblems(doc);
  let Model;
  try {
    Model = await k8sModel(doc.apiVersion, doc.kind);
  } catch {
    return [`no Kubernetes schema for ${doc.apiVersion} ${doc.kind}`];
  }
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    return [e.message];
  }
}

const deepCopy = (x) => JSON.parse(JSON.stringify(x));
const find = (docs, kind, pred = () => true) => docs.find((d) => d.kind === kind && pred(d));
const apiDeployment = (docs) => find(docs, 'Deployment', (d) => d.metadata.labels['app.kubernetes.io/component'] === 'api');
const configData = (docs) => find(docs, 'ConfigMap').data;

const SCENARIOS = [
  { name: 'default values', files: [] },
  ...CI_FILES.map((f) => ({ name: `ci/${f}`, files: [join(CHART, 'ci', f)] })),
];

describe('helm lint --strict', () => {
  for (const s of SCENARIOS) {
    test(s.name, () => {
      const r = helm(['lint', '--strict', CHART, ...s.files.flatMap((f) => ['-f', f])]);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    });
  }
});

describe('rendered manifests', () => {
  const rendered = {};
  before(() => {
    for (const s of SCENARIOS) rendered[s.name] = renderDocs(s.files);
  });

  for (const s of SCENARIOS) {
    describe(s.name, () => {
      test('every document is valid against the Kubernetes schemas', async () => {
        const problems = [];
        for (const doc of rendered[s.name]) {
          for (const p of await schemaProblems(doc)) problems.push(`${id(doc)}: ${p}`);
        }
        assert.deepEqual(problems, []);
      });

      test('every document passes the policy checks', () => {
        assert.deepEqual(policyViolations(rendered[s.name]), []);
      });

      test('the API Deployment rolls on config and secret changes, and serves with tokens on all addresses', () => {
        const docs = rendered[s.name];
        const dep = apiDeployment(docs);
        assert.ok(dep, 'no DuckLake Deployment');
        const ann = dep.spec.template.metadata.annotations;
        assert.match(ann['checksum/config'], /^[0-9a-f]{64}$/);
        assert.match(ann['checksum/secret'], /^[0-9a-f]{64}$/);
        const env = configData(docs);
        assert.match(env.DUCKLAKE_LISTEN, /^0\.0\.0\.0:\d+$/);
        assert.equal(env.DUCKLAKE_AUTH, 'token', '--auth none is refused off loopback');
        assert.match(env.DUCKLAKE_METADATA, /^postgresql:\/\/[^:@/]+@[^/]+\/\w+\?sslmode=[a-z-]+$/, 'no password in the URL');
        assert.match(env.DUCKLAKE_STORAGE, /^s3:\/\/[a-z0-9.-]+(\/.*)?$/);
        const c = dep.spec.template.spec.containers.find((x) => x.name === 'ducklake');
        assert.equal(c.readinessProbe.httpGet.path, '/readyz');
        assert.equal(c.livenessProbe.httpGet.path, '/healthz');
        const mounted = podSpec(dep).volumes.find((v) => v.name === 'secrets').projected.sources.map((x) => x.secret.items[0].path);
        for (const f of ['admin-token', 'metadata-password', 's3-secret-access-key']) assert.ok(mounted.includes(f), `secret file ${f} not mounted`);
        for (const [k, v] of Object.entries(env)) {
          if (k.endsWith('_FILE')) assert.ok(v.startsWith('/etc/ducklake/') && (v.includes('/secrets/') || v.includes('/tls/') || v.includes('/s3-ca/')), `${k}=${v} is not a mounted file`);
        }
      });
    });
  }

  test('default: bundled PostgreSQL and MinIO with volumes, two servers, generated secrets kept', () => {
    const docs = rendered['default values'];
    assert.equal(apiDeployment(docs).spec.replicas, 2);
    const sts = docs.filter((d) => d.kind === 'StatefulSet').map((d) => d.metadata.name).sort();
    assert.deepEqual(sts, ['ducklake-minio', 'ducklake-postgresql']);
    for (const name of sts) assert.equal(find(docs, 'StatefulSet', (d) => d.metadata.name === name).spec.volumeClaimTemplates.length, 1);
    const secrets = docs.filter((d) => d.kind === 'Secret');
    assert.deepEqual(secrets.map((d) => d.metadata.name).sort(), ['ducklake-admin-token', 'ducklake-minio', 'ducklake-postgresql']);
    const token = Buffer.from(find(docs, 'Secret', (d) => d.metadata.name === 'ducklake-admin-token').data['admin-token'], 'base64').toString();
    assert.match(token, /^dl_[0-9a-f]{64}$/, 'the form --admin-token-file accepts');
    const init = podSpec(apiDeployment(docs)).initContainers.map((c) => c.name);
    assert.deepEqual(init, ['wait-for-postgresql', 'create-bucket']);
    assert.ok(find(docs, 'PodDisruptionBudget'));
    assert.equal(docs.filter((d) => d.kind === 'NetworkPolicy').length, 3);
    assert.ok(!find(docs, 'Ingress') && !find(docs, 'HorizontalPodAutoscaler') && !find(docs, 'ServiceMonitor'));
  });

  test('production: external PostgreSQL and S3, autoscaled from 3, TLS ingress, nothing generated', () => {
    const docs = rendered['ci/production-values.yaml'];
    const dep = apiDeployment(docs);
    assert.equal(dep.spec.replicas, undefined, 'the HPA owns replicas');
    const hpa = find(docs, 'HorizontalPodAutoscaler');
    assert.equal(hpa.spec.minReplicas, 3);
    assert.equal(find(docs, 'StatefulSet'), undefined);
    assert.equal(find(docs, 'Secret'), undefined, 'every secret is an existingSecret');
    const ing = find(docs, 'Ingress');
    assert.deepEqual(ing.spec.tls[0].hosts, ['lake.example.com']);
    const env = configData(docs);
    assert.equal(env.DUCKLAKE_PUBLIC_URL, 'https://lake.example.com');
    assert.match(env.DUCKLAKE_METADATA, /@ducklake-db\.example\.internal:5432\/ducklake\?sslmode=verify-full$/);
    assert.equal(env.DUCKLAKE_S3_ENDPOINT, 'https://s3.eu-west-1.amazonaws.com');
    assert.equal(env.DUCKLAKE_LINEAGE_URL, 'https://marquez.example.internal');
    assert.match(podSpec(dep).containers[0].image, /@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(podSpec(dep).initContainers.map((c) => c.name), ['wait-for-postgresql']);
    assert.ok(find(docs, 'ServiceMonitor'));
  });

  test('minimal: one server, no volumes, no PDB', () => {
    const docs = rendered['ci/minimal-values.yaml'];
    assert.equal(apiDeployment(docs).spec.replicas, 1);
    assert.equal(find(docs, 'PodDisruptionBudget'), undefined);
    for (const sts of docs.filter((d) => d.kind === 'StatefulSet')) assert.equal(sts.spec.volumeClaimTemplates, undefined);
  });

  test('lineage: forwarding to Marquez with a token file, HTTPS probes', () => {
    const docs = rendered['ci/lineage-values.yaml'];
    const env = configData(docs);
    assert.equal(env.DUCKLAKE_LINEAGE_URL, 'http://marquez.marquez.svc:5000');
    assert.equal(env.DUCKLAKE_LINEAGE_TOKEN_FILE, '/etc/ducklake/secrets/lineage-token');
    assert.equal(env.DUCKLAKE_LINEAGE_RETRY_MAX_MS, '60000');
    assert.equal(env.DUCKLAKE_TLS_CERT, '/etc/ducklake/tls/tls.crt');
    const c = podSpec(apiDeployment(docs)).containers[0];
    assert.equal(c.readinessProbe.httpGet.scheme, 'HTTPS');
    assert.equal(find(docs, 'ServiceMonitor').spec.endpoints[0].scheme, 'https');
  });

  test('checksum/config follows the settings', () => {
    const a = apiDeployment(renderDocs()).spec.template.metadata.annotations['checksum/config'];
    const b = apiDeployment(renderDocs([], ['--set', 'config.logLevel=debug'])).spec.template.metadata.annotations['checksum/config'];
    assert.notEqual(a, b);
  });
});

describe('values.schema.json refuses bad values', () => {
  for (const f of BAD_FILES) {
    test(basename(f, '.yaml'), () => {
      const path = join(HERE, 'bad-values', f);
      const expect = /^# expect: (.*)$/m.exec(readFileSync(path, 'utf8'))?.[1];
      assert.ok(expect, `${f} has no "# expect:" line`);
      const r = render([path]);
      assert.notEqual(r.status, 0, `${f} was accepted`);
      assert.match(r.stderr, /values don't meet the specifications of the schema/);
      assert.match(r.stderr, new RegExp(expect), `refused for another reason:\n${r.stderr}`);
    });
  }

  test('Kubernetes older than 1.27 is refused', () => {
    const r = render([], ['--kube-version', '1.26.0']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /requires kubeVersion: >=1\.27\.0-0/);
  });

  test('autoscaling.minReplicas above maxReplicas is refused with a message', () => {
    const r = render([], ['--set', 'autoscaling.enabled=true,autoscaling.minReplicas=5,autoscaling.maxReplicas=2']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /minReplicas must not be greater than autoscaling.maxReplicas/);
  });

  test('every option in values.yaml has a comment', () => {
    // Keys inside Kubernetes objects (resources, security contexts, probe timings) are documented by their parent.
    const k8sObjects = new Set(['resources', 'initResources', 'podSecurityContext', 'securityContext', 'livenessProbe', 'readinessProbe', 'startupProbe']);
    const doc = parseDocument(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
    const missing = [];
    const walk = (node, path) => {
      if (!isMap(node)) return;
      node.items.forEach((pair, i) => {
        const key = String(pair.key.value);
        const comment = pair.key.commentBefore ?? (i === 0 ? node.commentBefore : undefined);
        if (!comment) missing.push(path + key);
        if (!k8sObjects.has(key)) walk(pair.value, `${path}${key}.`);
      });
    };
    walk(doc.contents, '');
    assert.deepEqual(missing, []);
  });

  test('every value of values.yaml is in the schema, with a description', () => {
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
    const values = parseYaml(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
    const deref = (node) => {
      while (node) {
        if (node.$ref) node = { ...schema.definitions[node.$ref.split('/').pop()], description: node.description ?? schema.definitions[node.$ref.split('/').pop()].description };
        else if (node.allOf && !node.properties && node.allOf[0]?.$ref) node = { ...deref(node.allOf[0]), description: node.description ?? deref(node.allOf[0]).description };
        else return node;
      }
      return node;
    };
    const missing = [];
    const walk = (val, node, path) => {
      node = deref(node);
      if (!node) return missing.push(`${path}: not in the schema`);
      if (!node.description) missing.push(`${path}: no description`);
      if (val && typeof val === 'object' && !Array.isArray(val) && node.properties) {
        for (const [k, v] of Object.entries(val)) {
          const child = node.properties[k];
          if (!child && node.additionalProperties === false) missing.push(`${path}.${k}: not in the schema`);
          else if (child) walk(v, child, `${path}.${k}`);
        }
      }
    };
    for (const [k, v] of Object.entries(values)) walk(v, schema.properties[k], k);
    assert.deepEqual(missing, []);
  });
});

describe('policy self-test: the checks catch bad manifests', () => {
  let base;
  before(() => {
    base = renderDocs();
    assert.deepEqual(policyViolations(base), [], 'the baseline must be clean');
  });

  const mutate = (fn) => {
    const docs = deepCopy(base);
    fn(docs);
    return policyViolations(docs).join('\n');
  };
  const api = (docs) => apiDeployment(docs);
  const apiContainer = (docs) => podSpec(api(docs)).containers[0];

  const cases = [
    ['a container without probes', (d) => { delete apiContainer(d).livenessProbe; delete apiContainer(d).readinessProbe; }, /no livenessProbe[\s\S]*no readinessProbe/],
    ['a probe on an undeclared port', (d) => { apiContainer(d).readinessProbe.httpGet.port = 'metrics'; }, /probe targets port metrics/],
    ['a container without resources', (d) => { delete podSpec(api(d)).initContainers[0].resources; }, /wait-for-postgresql: resources need/],
    ['an image on latest', (d) => { apiContainer(d).image = 'localhost/ducklake:latest'; }, /not pinned \(the moving tag "latest"\)/],
    ['an image without tag', (d) => { podSpec(find(d, 'StatefulSet')).containers[0].image = 'quay.io/minio/minio'; }, /not pinned \(no tag/],
    ['a root container', (d) => { apiContainer(d).securityContext.runAsUser = 0; }, /runs as uid 0/],
    ['runAsNonRoot missing', (d) => { delete podSpec(api(d)).securityContext.runAsNonRoot; for (const c of [...podSpec(api(d)).containers, ...podSpec(api(d)).initContainers]) delete c.securityContext.runAsNonRoot; }, /runAsNonRoot is not true/],
    ['a writable root file system', (d) => { apiContainer(d).securityContext.readOnlyRootFilesystem = false; }, /readOnlyRootFilesystem is not true/],
    ['privilege escalation', (d) => { delete apiContainer(d).securityContext.allowPrivilegeEscalation; }, /allowPrivilegeEscalation is not false/],
    ['capabilities kept', (d) => { apiContainer(d).securityContext.capabilities = { add: ['NET_ADMIN'] }; }, /capabilities.drop lacks ALL[\s\S]*adds capabilities/],
    ['no seccomp profile', (d) => { delete podSpec(api(d)).securityContext.seccompProfile; }, /no RuntimeDefault seccompProfile/],
    ['a selector that does not match the pod labels', (d) => { api(d).spec.selector.matchLabels['app.kubernetes.io/component'] = 'web'; }, /selector .* does not match its pod labels/],
    ['a Service selecting nothing', (d) => { find(d, 'Service', (s) => s.metadata.name === 'ducklake').spec.selector = { app: 'nothing' }; }, /matches no workload/],
    ['a Service targetPort that does not exist', (d) => { find(d, 'Service', (s) => s.metadata.name === 'ducklake').spec.ports[0].targetPort = 'https'; }, /targets https, which Deployment\/ducklake does not declare/],
    ['a numeric targetPort that does not exist', (d) => { find(d, 'Service', (s) => s.metadata.name === 'ducklake-postgresql').spec.ports[0].targetPort = 5433; }, /targets 5433/],
    ['an inlined Secret', (d) => { d.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain' }, stringData: { password: 'hunter2' } }); }, /Secret\/plain: stringData inlines a secret[\s\S]*must be one the chart generates/],
    ['a password in an env value', (d) => { apiContainer(d).env.push({ name: 'DUCKLAKE_METADATA_PASSWORD', value: 'hunter2' }); }, /env DUCKLAKE_METADATA_PASSWORD inlines a secret/],
    ['a token in the ConfigMap', (d) => { find(d, 'ConfigMap').data.DUCKLAKE_LINEAGE_TOKEN = 'dl_' + 'a'.repeat(64); }, /key DUCKLAKE_LINEAGE_TOKEN looks like a secret[\s\S]*holds a token/],
    ['a password in the metadata URL', (d) => { find(d, 'ConfigMap').data.DUCKLAKE_METADATA = 'postgresql://ducklake:hunter2@db:5432/ducklake'; }, /DUCKLAKE_METADATA holds a token or a password/],
    ['a PDB selecting nothing', (d) => { find(d, 'PodDisruptionBudget').spec.selector.matchLabels = { x: 'y' }; }, /PodDisruptionBudget\/ducklake: selector matches no workload/],
    ['a NetworkPolicy on a port the pods lack', (d) => { find(d, 'NetworkPolicy').spec.ingress[0].ports[0].port = 'grpc'; }, /port grpc is not a port of/],
    ['an HPA on a missing Deployment', (d) => { d.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone' }, minReplicas: 1, maxReplicas: 2 } }); }, /scales Deployment\/gone, which does not exist/],
    ['an Ingress to a missing Service port', (d) => { d.push({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ host: 'x', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'ducklake', port: { name: 'admin' } } } }] } }] } }); }, /backend port .*admin.* is not a port of Service\/ducklake/],
    ['a ServiceMonitor selecting no Service', (d) => { d.push({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' }, spec: { selector: { matchLabels: { a: 'b' } }, endpoints: [{ port: 'http' }] } }); }, /ServiceMonitor\/m: selector matches no Service/],
  ];
  for (const [name, fn, expected] of cases) {
    test(name, () => assert.match(mutate(fn), expected));
  }

  test('image pinning: digests and exact tags pass, moving tags fail', () => {
    assert.equal(imagePinProblem('docker.io/library/postgres:15.10-bookworm'), null);
    assert.equal(imagePinProblem('localhost:5000/ducklake:0.6.0'), null);
    assert.equal(imagePinProblem('quay.io/minio/minio@sha256:' + 'a'.repeat(64)), null);
    assert.match(imagePinProblem('localhost:5000/ducklake'), /no tag/);
    assert.match(imagePinProblem('postgres:bookworm'), /names no version/);
  });

  test('the Kubernetes schema validation rejects a malformed document', async () => {
    const docs = deepCopy(base);
    const dep = apiDeployment(docs);
    dep.spec.replicas = 'two';
    delete podSpec(dep).containers[0].name;
    const problems = await schemaProblems(dep);
    assert.ok(problems.length > 0);
    assert.match(problems.join('\n'), /replicas must be integer|must have required property 'name'/);
    assert.match((await schemaProblems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 'http' }] } })).join('\n'), /port must be integer/);
    assert.match((await schemaProblems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).join('\n'), /no Kubernetes schema/);
  });

  test('the ServiceMonitor shape check rejects a malformed one', () => {
    const bad = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' }, spec: { endpoint: [], selector: {} } };
    assert.match(serviceMonitorProblems(bad).join('\n'), /spec.endpoint is not a ServiceMonitor field[\s\S]*spec.endpoints must be a non-empty list/);
    const bad2 = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' }, spec: { selector: {}, endpoints: [{ port: 'http', path: 'metrics', interval: 'often' }] } };
    assert.match(serviceMonitorProblems(bad2).join('\n'), /path must start with \/[\s\S]*interval must be a duration/);
  });
});

// The settings the chart passes are ones `ducklake serve` reads. The names beyond --help-all are
// read by the binary too: passwords and tokens (*_FILE's siblings), the S3 region and path style.
const KNOWN_ENV = new Set([
  'DUCKLAKE_DATA_DIR', 'DUCKLAKE_METADATA', 'DUCKLAKE_METADATA_PASSWORD_FILE', 'DUCKLAKE_STORAGE', 'DUCKLAKE_S3_ENDPOINT',
  'DUCKLAKE_S3_SECRET_ACCESS_KEY_FILE', 'DUCKLAKE_S3_CA_BUNDLE', 'DUCKLAKE_LOG_FORMAT', 'DUCKLAKE_LOG_LEVEL', 'DUCKLAKE_INSTANCE',
  'DUCKLAKE_LINEAGE', 'DUCKLAKE_LISTEN', 'DUCKLAKE_PUBLIC_URL', 'DUCKLAKE_WEB_DIR', 'DUCKLAKE_AUTH', 'DUCKLAKE_ADMIN_TOKEN_FILE',
  'DUCKLAKE_TLS_CERT', 'DUCKLAKE_TLS_KEY', 'DUCKLAKE_LINEAGE_URL', 'DUCKLAKE_LINEAGE_TOKEN_FILE', 'DUCKLAKE_LINEAGE_FILE',
  'DUCKLAKE_LINEAGE_VOLUME', 'DUCKLAKE_MEMORY_LIMIT', 'DUCKLAKE_THREADS', 'DUCKLAKE_HTTP_THREADS', 'DUCKLAKE_MAX_BODY_BYTES',
  'DUCKLAKE_MAX_UPLOAD_BYTES', 'DUCKLAKE_QUERY_TIMEOUT_MS', 'DUCKLAKE_MAX_RESULT_ROWS', 'DUCKLAKE_SHUTDOWN_TIMEOUT',
  'DUCKLAKE_MAINTENANCE_INTERVAL', 'DUCKLAKE_SNAPSHOT_RETENTION', 'DUCKLAKE_DATA_INLINING_ROW_LIMIT', 'DUCKLAKE_MAX_HEADER_BYTES',
  'DUCKLAKE_MAX_URL_BYTES',
  'DUCKLAKE_MAX_JSON_DEPTH', 'DUCKLAKE_MAX_RESULT_BYTES', 'DUCKLAKE_MAX_CONCURRENT_QUERIES', 'DUCKLAKE_RATE_LIMIT',
  'DUCKLAKE_RATE_BURST', 'DUCKLAKE_MIN_UPLOAD_RATE', 'DUCKLAKE_READ_TIMEOUT', 'DUCKLAKE_LINEAGE_RETRY_MAX_MS',
]);
const EXTRA_ENV = new Set(['DUCKLAKE_S3_PATH_STYLE', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'HOME']);

describe('the chart speaks the server\'s settings', () => {
  test('every variable the chart sets is one ducklake serve reads', () => {
    const unknown = [];
    for (const s of SCENARIOS) {
      const docs = renderDocs(s.files);
      const names = [...Object.keys(configData(docs)), ...podSpec(apiDeployment(docs)).containers[0].env.map((e) => e.name)];
      for (const n of names) if (!KNOWN_ENV.has(n) && !EXTRA_ENV.has(n)) unknown.push(`${s.name}: ${n}`);
    }
    assert.deepEqual(unknown, []);
  });

  test('the known list matches `ducklake serve --help-all`', { skip: !existsSync(DUCKLAKE) && `no ${DUCKLAKE}` }, () => {
    const help = spawnSync(DUCKLAKE, ['serve', '--help-all'], { encoding: 'utf8' }).stdout;
    const fromHelp = new Set([...help.matchAll(/\[\$(DUCKLAKE_[A-Z0-9_]+)\]/g)].map((m) => m[1]));
    assert.ok(fromHelp.size > 20, 'could not read the flags');
    assert.deepEqual([...KNOWN_ENV].filter((n) => !fromHelp.has(n)), [], 'the chart knows a variable the server no longer reads');
  });

  test('the server starts with the generated admin token as a read-only file and accepts it', { skip: !existsSync(DUCKLAKE) && `no ${DUCKLAKE}`, timeout: 30000 }, async () => {
    const docs = renderDocs();
    const token = Buffer.from(find(docs, 'Secret', (d) => d.metadata.name === 'ducklake-admin-token').data['admin-token'], 'base64').toString();
    const dir = mkdtempSync(join(tmpdir(), 'ducklake-chart-'));
    const secrets = join(dir, 'secrets');
    spawnSync('mkdir', ['-p', secrets, join(dir, 'data')]);
    writeFileSync(join(secrets, 'admin-token'), token);
    chmodSync(join(secrets, 'admin-token'), 0o440); // as the chart mounts it (defaultMode 0440)
    chmodSync(secrets, 0o555); // a Secret volume is read-only
    const port = await new Promise((res) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
    const env = { ...process.env, ...configData(docs) };
    for (const k of Object.keys(env)) if (k.startsWith('DUCKLAKE_') && !['DUCKLAKE_LOG_FORMAT', 'DUCKLAKE_LOG_LEVEL', 'DUCKLAKE_SHUTDOWN_TIMEOUT', 'DUCKLAKE_MAINTENANCE_INTERVAL', 'DUCKLAKE_LINEAGE', 'DUCKLAKE_MEMORY_LIMIT'].includes(k)) delete env[k];
    Object.assign(env, { DUCKLAKE_LISTEN: `127.0.0.1:${port}`, DUCKLAKE_AUTH: 'token', DUCKLAKE_DATA_DIR: join(dir, 'data'), DUCKLAKE_ADMIN_TOKEN_FILE: join(secrets, 'admin-token'), DUCKLAKE_THREADS: '1' });
    const server = spawn(DUCKLAKE, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    server.stdout.on('data', (b) => { log += b; });
    server.stderr.on('data', (b) => { log += b; });
    try {
      let who;
      for (let i = 0; i < 100 && !who; i++) {
        await new Promise((r) => setTimeout(r, 100));
        try {
          const r = await fetch(`http://127.0.0.1:${port}/api/v1/whoami`, { headers: { Authorization: `Bearer ${token}` } });
          who = await r.json();
        } catch { /* not up yet */ }
      }
      assert.ok(who, `the server did not answer:\n${log}`);
      assert.equal(who.user, 'admin');
      assert.equal(who.authenticated, true);
      assert.equal(readFileSync(join(secrets, 'admin-token'), 'utf8'), token, 'the server left the file alone');
      const anon = await fetch(`http://127.0.0.1:${port}/api/v1/whoami`);
      assert.equal(anon.status, 401);
    } finally {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
      chmodSync(secrets, 0o755);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
