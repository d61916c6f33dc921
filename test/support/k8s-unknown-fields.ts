/**
 * The JSON schemas of kubernetes-models accept fields they do not know, so a misspelt field
 * (`readinesProbe`) or one at the wrong level would pass. This walks each rendered object beside
 * its TypeScript interface from the same package and reports every field the interface lacks.
 */
import path from 'node:path';
import ts from 'typescript';

/** The package that types each API group, as kubernetes-models lays it out. */
function modelModule(apiVersion: string): string {
  if (apiVersion.startsWith('keda.sh/')) return `@kubernetes-models/keda/${apiVersion}`;
  return `kubernetes-models/${apiVersion}`;
}

/** A checker over a virtual module naming each kind's interface (`I<Kind>`), keyed `apiVersion/Kind`. */
export function createUnknownFieldChecker(kinds: { apiVersion: string; kind: string }[]) {
  const file = path.resolve('test/support/__k8s-models__.ts');
  const keyed = kinds.map((k, i) => ({ key: `${k.apiVersion}/${k.kind}`, alias: `T${i}`, ...k }));
  const text = [
    ...keyed.map((k) => `import type { I${k.kind} as ${k.alias} } from '${modelModule(k.apiVersion)}';`),
    `export interface Models { ${keyed.map((k) => `'${k.key}': ${k.alias};`).join(' ')} }`,
  ].join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, text, language) : getSourceFile(name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? text : readFile(name));
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const unresolved = ts.getPreEmitDiagnostics(program, source);
  if (unresolved.length > 0) {
    throw new Error(unresolved.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  }
  const models = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((s) => s.name === 'Models')!;
  const modelsType = checker.getDeclaredTypeOfSymbol(models);

  function walk(value: unknown, type: ts.Type, at: string, found: string[]): void {
    const t = checker.getNonNullableType(type);
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (Array.isArray(value)) {
      const element = checker.getIndexTypeOfType(t, ts.IndexKind.Number);
      if (element) value.forEach((v, i) => walk(v, element, `${at}[${i}]`, found));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    // Quantities and int-or-string are unions with primitives; an object value takes the object member.
    const members = (t.isUnion() ? t.types : [t]).filter((m) => m.flags & ts.TypeFlags.Object);
    const [shape] = members;
    if (!shape) return;
    const index = shape.getStringIndexType();
    for (const [key, child] of Object.entries(value)) {
      const property = shape.getProperty(key);
      if (property) walk(child, checker.getTypeOfSymbol(property), `${at}.${key}`, found);
      else if (index) walk(child, index, `${at}.${key}`, found);
      else found.push(`${at}.${key}`);
    }
  }

  /** The paths of the fields the object's interface does not declare. */
  return function unknownFields(object: { apiVersion: string; kind: string }): string[] {
    const property = modelsType.getProperty(`${object.apiVersion}/${object.kind}`);
    if (!property) return [`${object.apiVersion} ${object.kind}: no model`];
    const found: string[] = [];
    walk(object, checker.getTypeOfSymbol(property), object.kind, found);
    return found;
  };
}
