/** true when bin/sopflow.js runs the bundle (built from the current compile), false when it runs dist/. */
export declare function bundleIsCurrent(): boolean;
