import type { Page } from '@playwright/test';
import type { Words } from '../support/words';

/** What the journey types into the "New RayCluster" form; inputs left out keep their defaults. */
export interface NewRayClusterValues {
  name: string;
  namespace: string;
  rayVersion?: string;
  head?: { cpu: string; memory: string };
  worker?: { cpu: string; memory: string; replicas: string };
}

/** The "New RayCluster" page (web/src/features/kuberay-create), in the project's language. */
export class NewRayClusterPage {
  constructor(
    private readonly page: Page,
    private readonly words: Words,
  ) {}

  private w(key: string, values?: Record<string, string | number>) {
    return this.words('kuberayCreate', key, values);
  }

  heading() {
    return this.page.getByRole('heading', { level: 1, name: this.w('title') });
  }

  /** The head's or the workers' inputs (a fieldset named by its legend). */
  group(which: 'head' | 'worker') {
    return this.page.getByRole('group', { name: this.w(which === 'head' ? 'fields.head' : 'fields.worker') });
  }

  field(key: 'name' | 'namespace' | 'rayVersion' | 'image') {
    return this.page.getByLabel(this.w(`fields.${key}`), { exact: true });
  }

  authOptions() {
    return this.page.getByRole('radio', { name: this.w('fields.authOptions') });
  }

  async fill(v: NewRayClusterValues): Promise<void> {
    await this.field('name').fill(v.name);
    await this.field('namespace').fill(v.namespace);
    if (v.rayVersion) await this.field('rayVersion').fill(v.rayVersion);
    if (v.head) {
      await this.group('head').getByLabel(this.w('fields.cpu'), { exact: true }).fill(v.head.cpu);
      await this.group('head').getByLabel(this.w('fields.memory'), { exact: true }).fill(v.head.memory);
    }
    if (v.worker) {
      const worker = this.group('worker');
      await worker.getByRole('radio', { name: this.w('fields.fixed') }).check();
      await worker.getByLabel(this.w('fields.cpu'), { exact: true }).fill(v.worker.cpu);
      await worker.getByLabel(this.w('fields.memory'), { exact: true }).fill(v.worker.memory);
      await worker.getByLabel(this.w('fields.replicas'), { exact: true }).fill(v.worker.replicas);
    }
  }

  async preview(): Promise<void> {
    await this.page.getByRole('button', { name: this.w('actions.preview') }).click();
  }

  /** The editable YAML the form stands for (after a preview). */
  yaml() {
    return this.page.getByRole('textbox', { name: this.w('yaml.label') });
  }

  /** What the API server refused in the edited YAML, by path. */
  yamlProblems() {
    return this.page.getByRole('alert', { name: this.w('yaml.problems') });
  }

  /** Drops the edits: the YAML is made from the form again. */
  async yamlFromForm(): Promise<void> {
    await this.page.getByRole('button', { name: this.w('actions.resetYaml') }).click();
  }

  async dryRun(): Promise<void> {
    await this.page.getByRole('button', { name: this.w('actions.dryRun') }).click();
  }

  /** What the dry run answered. */
  dryRunResult() {
    return this.page.getByRole('region', { name: this.w('title') }).getByRole('status');
  }

  async create(): Promise<void> {
    await this.page.getByRole('button', { name: this.w('actions.create'), exact: true }).click();
  }
}
