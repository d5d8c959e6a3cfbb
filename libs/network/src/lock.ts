/** Runs async sections one at a time, in call order (the store and CNI state are shared). */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section);
    this.tail = result.catch(() => {});
    return result;
  }
}
