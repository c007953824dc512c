export async function runtimeRows() { throw new Error('runtime not landed yet'); }
