// The screens' backend over HTTP, in a browser served by the mairie server:
// same origin, the credential in an HttpOnly cookie the scripts never see,
// live updates by server-sent events as a doorbell, then a fetch of the state.
import { v7 as uuidv7 } from "uuid";
import type { CounterAction, CounterActionResult, CounterView, DisplayView, ErrorBody, ScreenEnrolled } from "./bindings";
import { BackendError, type ScreenBackend } from "./backend";

/** Silence after which the server is taken for lost (heartbeats come every 2 s). */
const LOST_AFTER_MS = 5000;
/** The safety net under the doorbell. */
const POLL_EVERY_MS = 15000;

export class HttpBackend implements ScreenBackend {
  private async call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        credentials: "same-origin",
        headers: { "volant-protocol": "1", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new BackendError("offline", "serveur de la mairie injoignable");
    }
    const json = (await response.json().catch(() => null)) as (ErrorBody & { retry_after_s?: number }) | null;
    if (!response.ok) {
      throw new BackendError(json?.code ?? "server", json?.message ?? `réponse ${response.status} du serveur`, json?.retry_after_s);
    }
    return json as T;
  }

  enrollScreen(code: string, fingerprint: string | null): Promise<ScreenEnrolled> {
    return this.call("POST", "/v1/screen/enroll", fingerprint ? { code, fingerprint } : { code });
  }

  counterQueue(): Promise<CounterView> {
    return this.call("GET", "/v1/counter/queue");
  }

  /** One event id per action: a retry after a lost answer is recognised, not done twice. */
  async counterAct(action: CounterAction): Promise<CounterActionResult> {
    const request = { event_id: uuidv7(), device_time: new Date().toISOString(), action };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.call("POST", "/v1/counter/actions", request);
      } catch (e) {
        if (!(e instanceof BackendError) || e.code !== "offline" || attempt === 3) throw e;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }

  displayCalls(): Promise<DisplayView> {
    return this.call("GET", "/v1/display/calls");
  }

  watch(changed: () => void, link: (up: boolean) => void): () => void {
    let heard = Date.now();
    const alive = () => {
      heard = Date.now();
      link(true);
    };
    // The browser reconnects by itself, sending Last-Event-ID; each (re)opening fetches the state.
    const source = new EventSource("/v1/events");
    source.addEventListener("open", () => {
      alive();
      changed();
    });
    source.addEventListener("queue", () => {
      alive();
      changed();
    });
    source.addEventListener("heartbeat", alive);
    source.addEventListener("error", () => link(false));
    const silence = setInterval(() => Date.now() - heard > LOST_AFTER_MS && link(false), 1000);
    const poll = setInterval(changed, POLL_EVERY_MS);
    return () => {
      source.close();
      clearInterval(silence);
      clearInterval(poll);
    };
  }
}
