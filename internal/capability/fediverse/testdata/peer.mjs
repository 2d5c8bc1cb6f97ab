// An independent ActivityPub server for the fediverse's acceptance test:
// Fedify (pinned in e2e/package.json) running one actor, "pair", on a
// loopback port. The Go test drives it through stdin, one command a line,
// and reads what happened on stdout, one JSON event a line:
//
//   follow <actor URL>   look the actor up, send it a signed Follow
//   undo                 send Undo of that Follow
//   down / up            stop answering on the port / answer again
//   webfinger <acct:…>   fetch the collectivité's WebFinger answer
//
// Fedify verifies the HTTP signature of every activity posted to its
// inbox (fetching the sender's key) before a listener sees it.
//
// Usage: node peer.mjs <e2e/node_modules> <instant in ms>
// The instant is the Go test's clock: the peer's clock is set to it, so
// that both sides check each other's Date header against one time.

import http from "node:http";
import readline from "node:readline";
import { pathToFileURL } from "node:url";

const [modules, instant] = process.argv.slice(2);
const offset = Number(instant) - Date.now();
const RealDate = Date;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offset);
    else super(...args);
  }
  static now() {
    return RealDate.now() + offset;
  }
}
globalThis.Date = ShiftedDate;

const load = (name) => import(pathToFileURL(`${modules}/${name}/dist/mod.js`).href);
const { createFederation, MemoryKvStore, generateCryptoKeyPair } = await load("@fedify/fedify");
const { Accept, Create, Follow, Person, Undo, Endpoints } = await load("@fedify/vocab");

const say = (event) => process.stdout.write(JSON.stringify(event) + "\n");

const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const federation = createFederation({
  kv: new MemoryKvStore(),
  allowPrivateAddress: true,
  firstKnock: "draft-cavage-http-signatures-12",
});

federation
  .setActorDispatcher("/acteurs/{identifier}", async (ctx, identifier) => {
    if (identifier !== "pair") return null;
    const pairs = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Pair d'essai",
      url: new URL(`/@${identifier}`, ctx.origin),
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pairs[0].cryptographicKey,
      assertionMethods: pairs.map((p) => p.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === "pair" ? [keys] : []));

federation
  .setInboxListeners("/acteurs/{identifier}/boite", "/boite")
  .on(Accept, async (ctx, accept) => {
    // The Follow it accepts is ours: its identifier is enough (Fedify
    // would fetch an object embedded from another origin).
    say({ event: "accept", actor: accept.actorId?.href, object: accept.objectId?.href });
  })
  .on(Create, async (ctx, create) => {
    const object = await create.getObject();
    say({
      event: "create",
      actor: create.actorId?.href,
      id: object?.id?.href,
      type: object?.constructor?.name,
      content: object?.content?.toString() ?? "",
    });
  })
  .onError(async (_ctx, error) => say({ event: "error", message: String(error) }));

let up = true;
let origin = "";
const server = http.createServer(async (req, res) => {
  if (!up) {
    // A server that is down: the connection closes without an answer.
    req.socket.destroy();
    return;
  }
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const body = chunks.length ? Buffer.concat(chunks) : undefined;
  const request = new Request(new URL(req.url, origin), {
    method: req.method,
    headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
    body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
  });
  if (req.method === "POST") say({ event: "post", path: req.url, signature: req.headers["signature"] ?? "" });
  const response = await federation.fetch(request, {
    contextData: undefined,
    onNotFound: () => new Response("introuvable", { status: 404 }),
    onNotAcceptable: () => new Response("inacceptable", { status: 406 }),
  });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.listen(0, "127.0.0.1", () => {
  origin = `http://127.0.0.1:${server.address().port}`;
  say({ event: "listening", origin, actor: `${origin}/acteurs/pair` });
});

let followed = null;
const ctx = () => federation.createContext(new URL(origin), undefined);
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, arg] = line.trim().split(/\s+/, 2);
  try {
    switch (command) {
      case "follow": {
        const c = ctx();
        const actor = await c.lookupObject(arg);
        if (actor == null) throw new Error(`no actor at ${arg}`);
        followed = new Follow({
          id: new URL(`/suivis/${Date.now()}`, origin),
          actor: c.getActorUri("pair"),
          object: actor.id,
        });
        await c.sendActivity({ identifier: "pair" }, actor, followed);
        say({ event: "followed", id: followed.id.href, actor: actor.id.href, inbox: actor.inboxId?.href, name: actor.name?.toString() });
        break;
      }
      case "undo": {
        const c = ctx();
        const actor = await c.lookupObject(followed.objectId.href);
        await c.sendActivity({ identifier: "pair" }, actor, new Undo({
          id: new URL(`/annulations/${Date.now()}`, origin),
          actor: c.getActorUri("pair"),
          object: followed,
        }));
        say({ event: "undone" });
        break;
      }
      case "down":
        up = false;
        say({ event: "down" });
        break;
      case "up":
        up = true;
        say({ event: "up" });
        break;
      case "webfinger": {
        const host = arg.slice(arg.lastIndexOf("@") + 1);
        const res = await fetch(`http://${host}/.well-known/webfinger?resource=${encodeURIComponent(arg)}`);
        say({ event: "webfinger", status: res.status, body: await res.json() });
        break;
      }
      default:
        say({ event: "error", message: `unknown command ${command}` });
    }
  } catch (e) {
    say({ event: "error", message: String(e?.stack ?? e) });
  }
}
server.close();
