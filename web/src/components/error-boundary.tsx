import { Component, type ReactNode } from 'react';
import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { ErrorPanel } from './error-panel';
import { isScriptLoadError, ScriptLoadError } from './script-load-error';

interface State {
  error: unknown;
}

class Boundary extends Component<{ children: ReactNode; onReset: () => void; title?: string }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override render() {
    if (this.state.error !== undefined) {
      if (isScriptLoadError(this.state.error)) return <ScriptLoadError />;
      return (
        <ErrorPanel
          error={this.state.error}
          {...(this.props.title ? { title: this.props.title } : {})}
          onRetry={() => {
            this.props.onReset();
            this.setState({ error: undefined });
          }}
        />
      );
    }
    return this.props.children;
  }
}

/** One per route and per independent panel: a failure shows where it happened, with a retry, and nowhere else. */
export function ErrorBoundary({ children, title }: { children: ReactNode; title?: string }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <Boundary onReset={reset} {...(title ? { title } : {})}>
          {children}
        </Boundary>
      )}
    </QueryErrorResetBoundary>
  );
}
