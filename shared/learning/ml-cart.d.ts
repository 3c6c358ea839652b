// The part of ml-cart (mljs' CART decision tree; ships no types) that attribution.ts uses.
declare module 'ml-cart' {
  /** A trained node: inner nodes split on `splitColumn < splitValue` (left) against >= (right). */
  export interface CartNode {
    splitColumn?: number;
    splitValue?: number;
    left?: CartNode;
    right?: CartNode;
  }
  export class DecisionTreeClassifier {
    constructor(options?: { gainFunction?: 'gini'; minNumSamples?: number; maxDepth?: number });
    train(features: number[][], labels: number[]): void;
    root: CartNode;
  }
}
