import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Names the page in the message ("The Doctor page crashed"). */
  name: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  attempt: number;
}

/** One per page: a crash shows its message and a way out instead of a blank window. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`kfd: the ${this.props.name} page crashed`, error, info.componentStack);
  }

  private reload = (): void => {
    this.setState((s) => ({ error: null, attempt: s.attempt + 1 }));
  };

  override render(): ReactNode {
    const { error, attempt } = this.state;
    if (!error) return <Fragment key={attempt}>{this.props.children}</Fragment>;
    return (
      <section className="page-error" role="alert">
        <h2>The {this.props.name} page stopped working</h2>
        <pre className="code-block">{error.message || error.name}</pre>
        <p className="muted">Other pages still work. Reloading this page starts it fresh.</p>
        <button type="button" className="btn btn-primary" onClick={this.reload}>
          Reload page
        </button>
      </section>
    );
  }
}
