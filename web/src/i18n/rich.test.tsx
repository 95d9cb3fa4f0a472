import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { InEnglish } from '../test/i18n';
import { Rich } from './use-t';

// Rich draws messages with markup itself (not Lingui's <Trans>, kept out of the first script): the tags
// of a message become the elements given for them, and a value is text whatever it looks like.
describe('a message with markup', () => {
  it('draws its tags as the elements given, and a value that looks like a tag as text', () => {
    const { container } = render(
      <Rich ns="clusters" k="layout.noSuchCluster" values={{ id: '<b>x</b>' }} components={{ code: <code /> }} />,
      { wrapper: InEnglish },
    );
    expect(container.innerHTML).toBe(
      'There is no cluster <code>&lt;b&gt;x&lt;/b&gt;</code> in this console. Pick one from the cluster list.',
    );
  });

  it('draws every tag of a message, keeping the attributes of the element given', () => {
    const { container } = render(<Rich ns="clusters" k="list.none" components={{ code: <code title="setting" /> }} />, {
      wrapper: InEnglish,
    });
    const codes = [...container.querySelectorAll('code')];
    expect(codes.map((c) => c.textContent)).toEqual([
      'RAY_DASHBOARD_URL',
      'RAY_CONSOLE_CONFIG',
      'KUBERNETES_DISCOVERY=true',
    ]);
    expect(codes.every((c) => c.title === 'setting')).toBe(true);
    expect(container.textContent).toContain('then restart the console.');
  });
});
