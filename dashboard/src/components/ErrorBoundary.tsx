import { Component, type ErrorInfo, type ReactNode } from 'react';

/**
 * Catches a page that throws while rendering, or whose lazy chunk failed to load (a redeploy
 * replaced it, the network dropped), and offers a reload instead of a blank page.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="state error" role="alert">
        <span>This page failed: {this.state.error.message}</span>
        <button type="button" className="btn small" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
