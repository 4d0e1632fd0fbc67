/** A config file that cannot be used: says which file, which line and why. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${reason}`);
    this.name = 'ConfigError';
  }
}
