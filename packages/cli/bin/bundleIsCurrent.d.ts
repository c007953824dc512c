/**
 * true when bin/sopflow.js runs the bundle (built from the current compile), false when it runs dist/.
 * `base` is the bundle folder (default: ../bundle beside the bin).
 */
export declare function bundleIsCurrent(base?: string): boolean;
