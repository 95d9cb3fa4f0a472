import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../harness/kube-control-plane.js';

/** One RBAC permission: `<apiGroup>/<resource>:<verb>` ("" is the core group), as rules are written. */
export type Permission = string;

export const KUBE_CLIENT = path.join(PROJECT_ROOT, 'server', 'src', 'kubernetes', 'kube-client.ts');

/** What importing these from client-node lets the module call; anything else must be taught here. */
const API_CLASSES = new Set(['CoreV1Api', 'CustomObjectsApi']);
const NOT_CALLING = new Set([
  'ApiException',
  'KubeConfig',
  'Observable',
  'bufferFromFileOrString',
  'ConfigurationOptions',
  'RequestContext',
  'ResponseContext',
]);

const VERBS: Record<string, string> = {
  list: 'list',
  read: 'get',
  create: 'create',
  replace: 'update',
  patch: 'patch',
  delete: 'delete',
  deleteCollection: 'deletecollection',
};

/**
 * The permissions the Kubernetes door (server/src/kubernetes/kube-client.ts) needs, read from its source:
 * every call on a client-node API object (`this.core.listNamespacedService(...)`,
 * `this.custom.listClusterCustomObject({ group, plural, ... })`) becomes the RBAC verb and resource it
 * exercises. `proxy` lists the service-proxy path's needs, used only with KUBERNETES_CONNECT=proxy.
 * Throws on anything it does not understand (a new import, a watch, a call it cannot place), so a change
 * to the module cannot slip past the RBAC check.
 */
export function kubeClientPermissions(file = KUBE_CLIENT): { calls: Permission[]; proxy: Permission[] } {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const constants = new Map<string, string>();
  const apiFields = new Map<string, string>();
  const calls = new Set<Permission>();
  let proxy = false;

  const fail = (node: ts.Node, why: string): never => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    throw new Error(`${path.basename(file)}:${line + 1}: ${why}; teach kube-client-calls.ts what it needs`);
  };
  const stringOf = (node: ts.Expression): string => {
    if (ts.isStringLiteralLike(node)) return node.text;
    if (ts.isIdentifier(node) && constants.has(node.text)) return constants.get(node.text)!;
    return fail(node, `cannot tell the value of ${node.getText()}`);
  };

  // Imports from client-node, and module-level string constants (RAY_GROUP = 'ray.io').
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      if (statement.moduleSpecifier.text !== '@kubernetes/client-node') continue;
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) fail(statement, 'client-node is imported other than by name');
      for (const el of (bindings as ts.NamedImports).elements) {
        const name = el.propertyName?.text ?? el.name.text;
        if (!API_CLASSES.has(name) && !NOT_CALLING.has(name)) fail(el, `imports ${name} from client-node`);
      }
    }
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && ts.isStringLiteralLike(d.initializer)) {
          constants.set(d.name.text, d.initializer.text);
        }
      }
    }
  }

  const visit = (node: ts.Node): void => {
    // this.<field> = kc.makeApiClient(<ApiClass>)
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      ts.isCallExpression(node.right) &&
      ts.isPropertyAccessExpression(node.right.expression) &&
      node.right.expression.name.text === 'makeApiClient'
    ) {
      const api = node.right.arguments[0];
      if (!api || !ts.isIdentifier(api) || !API_CLASSES.has(api.text)) fail(node, 'makes an unknown API client');
      apiFields.set(node.left.name.text, (api as ts.Identifier).text);
    }
    // this.<field>.<method>(...)
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isPropertyAccessExpression(node.expression.expression) &&
      node.expression.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
      apiFields.has(node.expression.expression.name.text)
    ) {
      const api = apiFields.get(node.expression.expression.name.text)!;
      const method = node.expression.name.text;
      const m =
        /^(list|read|create|replace|patch|deleteCollection|delete)(Namespaced|Cluster)?(\w+?)(ForAllNamespaces)?$/.exec(
          method,
        );
      if (!m) return fail(node, `calls ${api}.${method}`);
      const verb = VERBS[m[1]!]!;
      if (api === 'CustomObjectsApi') {
        if (m[3] !== 'CustomObject') fail(node, `calls ${api}.${method}`);
        const arg = node.arguments[0];
        if (!arg || !ts.isObjectLiteralExpression(arg)) return fail(node, `${method} without an object argument`);
        const prop = (name: string) => {
          const p = arg.properties.find((x) => ts.isPropertyAssignment(x) && x.name.getText() === name);
          if (!p || !ts.isPropertyAssignment(p)) return fail(arg, `${method} without ${name}`);
          return stringOf(p.initializer);
        };
        calls.add(`${prop('group')}/${prop('plural')}:${verb}`);
      } else {
        // CoreV1Api: listNamespacedService -> services
        const kind = m[3]!;
        const plural = kind.toLowerCase().endsWith('s') ? kind.toLowerCase() : `${kind.toLowerCase()}s`;
        calls.add(`/${plural}:${verb}`);
      }
    }
    // The service proxy: `/api/v1/namespaces/<ns>/services/<name>:<port>/proxy`, through which the console
    // sends Ray every method it uses (GET reads; POST submits and stops; PUT uploads; DELETE deletes).
    if (ts.isTemplateExpression(node) && /\/services\//.test(node.getText()) && /\/proxy/.test(node.getText())) {
      proxy = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (calls.size === 0) throw new Error(`${path.basename(file)}: found no API calls; the analysis is out of date`);
  return {
    calls: [...calls].sort(),
    proxy: proxy
      ? ['/services/proxy:create', '/services/proxy:delete', '/services/proxy:get', '/services/proxy:update']
      : [],
  };
}

/** The permissions of RBAC rules, one per group, resource and verb. */
export function permissionsOf(rules: { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[]): Permission[] {
  const out = new Set<Permission>();
  for (const r of rules) {
    for (const g of r.apiGroups ?? []) {
      for (const res of r.resources ?? []) for (const v of r.verbs ?? []) out.add(`${g}/${res}:${v}`);
    }
  }
  return [...out].sort();
}

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[] };

/** Does one rule grant `verb` on `group/resource`, counting RBAC's `*` wildcards? */
function grants(rule: Rule, group: string, resource: string, verb: string): boolean {
  const has = (list: string[] | undefined, value: string) => (list ?? []).some((v) => v === '*' || v === value);
  return has(rule.apiGroups, group) && has(rule.resources, resource) && has(rule.verbs, verb);
}

/**
 * What the console's own identity must never be able to do (issue 12): Kubernetes writes and token
 * Secrets belong to the person, so a rule that lets the console create, patch or delete Ray objects,
 * read Secrets, or escalate (bind roles, create tokens) is named here. Wildcards count.
 */
export function forbiddenGrants(rules: Rule[]): string[] {
  const found: string[] = [];
  const check = (group: string, resource: string, verbs: string[]) => {
    for (const verb of verbs) {
      if (rules.some((r) => grants(r, group, resource, verb))) found.push(`${group}/${resource}:${verb}`);
    }
  };
  for (const kind of ['rayclusters', 'rayjobs', 'rayservices'])
    check('ray.io', kind, ['create', 'update', 'patch', 'delete']);
  check('', 'secrets', ['get', 'list', 'watch']);
  check('', 'serviceaccounts/token', ['create']);
  for (const kind of ['roles', 'clusterroles']) check('rbac.authorization.k8s.io', kind, ['bind', 'escalate']);
  return found;
}
