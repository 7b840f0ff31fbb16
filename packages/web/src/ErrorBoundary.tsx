// Last line of defence: a render error shows a message and a reload button instead of a blank page.
import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('nevhub dashboard crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="crash" role="alert">
        <h1>nevhub</h1>
        <p className="muted">{this.state.error.message}</p>
        <button type="button" className="btn primary" onClick={() => window.location.reload()}>
          Reload / 重新加载
        </button>
      </div>
    );
  }
}
