// Every operation of a definition through ReadMe's oas-to-snippet, to C# (HttpClient),
// Python (requests) and R (httr). Prints one JSON line: operations, snippets, failures, bytes.
// Usage: node oas-to-snippet.cjs DEFINITION.json
'use strict';
const fs = require('fs');
const Oas = require('oas');
const oasToSnippet = require('@readme/oas-to-snippet');

const LANGUAGES = [['csharp', 'httpclient'], ['python', 'requests'], ['r', 'httr']];

async function main() {
  const oas = new Oas(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')));
  await oas.dereference();
  let operations = 0, snippets = 0, failures = 0, bytes = 0;
  for (const methods of Object.values(oas.getPaths())) {
    for (const operation of Object.values(methods)) {
      operations++;
      for (const lang of LANGUAGES) {
        try {
          const { code } = oasToSnippet(oas, operation, {}, {}, lang);
          if (code) { snippets++; bytes += code.length; } else { failures++; }
        } catch (err) {
          failures++;
        }
      }
    }
  }
  process.stdout.write(JSON.stringify({ operations, snippets, failures, bytes }) + '\n');
}
main().catch((err) => { process.stderr.write(String(err && err.stack || err) + '\n'); process.exit(1); });
