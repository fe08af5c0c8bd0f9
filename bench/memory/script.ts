// The memory benchmark's conversations: six end users, each telling an assistant about themselves
// over four sessions, then asking later questions in fresh sessions. Written by hand, no downloads.
//
// - A turn is what the user typed in one request. `facts` says which durable facts it states (a
//   turn may state several, or none: small talk and questions to the assistant are noise that raw
//   mode still stores verbatim). Each fact has a `slot` ("city", "job", …) and the short
//   third-person `note` a good memory model would extract.
// - A later fact in the same slot supersedes the earlier one: `change: "update"` ("I moved to
//   Berlin" after "I live in Paris") or `change: "contradict"` ("I no longer eat meat" after "my
//   favourite food is steak"). The superseded versions are the *stale* facts of that slot.
// - A question names one slot; its right answer is the slot's current (last) fact.
//
// Questions are phrased the way users ask, not the way they told: some share a word with the
// current fact, some only with the stale one ("How do I take my coffee?" vs "I drink my coffee
// black" → "cut out caffeine"), some with neither.

export interface FactSpec {
  slot: string;
  note: string;
  change?: "update" | "contradict";
  /**
   * Words of the statement that carry this fact ("Taipei" in "Hi, I'm Grace and I live in Taipei."),
   * required when a statement states several: raw mode may cut a corrected clause out of a stored
   * statement, and the benchmark then credits what is left with the facts whose key it still holds.
   */
  key?: string;
}

export interface Turn {
  say: string;
  facts?: FactSpec[];
}

export interface Question {
  ask: string;
  slot: string;
}

export interface UserScript {
  user: string;
  sessions: Turn[][];
  questions: Question[];
}

const f = (slot: string, note: string, change?: FactSpec["change"], key?: string): FactSpec => ({ slot, note, ...(change ? { change } : {}), ...(key ? { key } : {}) });

export const SCRIPT: UserScript[] = [
  {
    user: "ana",
    sessions: [
      [
        { say: "Hi there, I'm Ana.", facts: [f("name", "Name is Ana")] },
        { say: "I live in Paris, in a small flat near the canal.", facts: [f("city", "Lives in Paris")] },
        { say: "I work as a pastry chef at a hotel.", facts: [f("job", "Works as a pastry chef at a hotel")] },
        { say: "Can you give me a recipe for choux pastry?" },
        { say: "Thanks, that's great!" },
      ],
      [
        { say: "My favourite food is steak, cooked rare.", facts: [f("food", "Favourite food is rare steak")] },
        { say: "I have a cat called Mochi.", facts: [f("pet", "Has a cat called Mochi")] },
        { say: "What's a good name for a bakery?" },
        { say: "I'm allergic to hazelnuts.", facts: [f("allergy", "Is allergic to hazelnuts")] },
      ],
      [
        { say: "Big news: I moved to Berlin last month.", facts: [f("city", "Lives in Berlin", "update")] },
        { say: "I no longer eat meat, I went vegetarian in January.", facts: [f("food", "Is vegetarian and no longer eats meat", "contradict")] },
        { say: "How do I register my address in Germany?" },
      ],
      [
        { say: "I quit the hotel and now I run my own bakery.", facts: [f("job", "Runs her own bakery", "update")] },
        { say: "I'm learning German on Tuesday evenings.", facts: [f("hobby", "Is learning German")] },
        { say: "My sister Lea is visiting in June.", facts: [f("family", "Has a sister called Lea")] },
      ],
    ],
    questions: [
      { ask: "Which city do I live in?", slot: "city" },
      { ask: "What do I do for a living?", slot: "job" },
      { ask: "Can you suggest a dinner recipe I would enjoy?", slot: "food" },
      { ask: "What is my cat's name?", slot: "pet" },
      { ask: "Which nuts should I avoid?", slot: "allergy" },
      { ask: "What language am I studying?", slot: "hobby" },
      { ask: "Who is coming to visit me in June?", slot: "family" },
      { ask: "What's my name?", slot: "name" },
    ],
  },
  {
    user: "ben",
    sessions: [
      [
        { say: "My name is Ben and I'm a software engineer.", facts: [f("name", "Name is Ben", undefined, "Ben"), f("job", "Works as a software engineer", undefined, "engineer")] },
        { say: "I drive a 2012 Toyota Corolla.", facts: [f("transport", "Drives a 2012 Toyota Corolla")] },
        { say: "How do I reverse a linked list in Python?" },
        { say: "I live in Manchester with my partner, Sam.", facts: [f("city", "Lives in Manchester", undefined, "Manchester"), f("partner", "Lives with his partner Sam", undefined, "Sam")] },
      ],
      [
        { say: "I'm training for the Manchester marathon in April.", facts: [f("sport", "Is training for the Manchester marathon")] },
        { say: "I drink my coffee black, no sugar.", facts: [f("coffee", "Drinks his coffee black without sugar")] },
        { say: "lol ok" },
        { say: "My daughter Mia just turned five.", facts: [f("kid", "Has a five-year-old daughter, Mia")] },
      ],
      [
        { say: "I sold the Corolla and bought an electric bike instead.", facts: [f("transport", "Rides an electric bike; sold his car", "update")] },
        { say: "I injured my knee, so the marathon is off; I'm swimming now instead.", facts: [f("sport", "Swims; gave up the marathon after a knee injury", "contradict")] },
        { say: "My doctor says I have to cut out caffeine completely.", facts: [f("coffee", "Has cut out caffeine on his doctor's advice", "contradict")] },
      ],
      [
        { say: "Sam and I got married last weekend!", facts: [f("partner", "Is married to Sam", "update")] },
        { say: "What's a good gift for a five-year-old?" },
      ],
    ],
    questions: [
      { ask: "How do I usually get around town?", slot: "transport" },
      { ask: "What sport am I training for these days?", slot: "sport" },
      { ask: "How do I take my coffee?", slot: "coffee" },
      { ask: "Am I married or single?", slot: "partner" },
      { ask: "How old is my daughter?", slot: "kid" },
      { ask: "Where do I live?", slot: "city" },
      { ask: "What is my job?", slot: "job" },
      { ask: "What's my name?", slot: "name" },
    ],
  },
  {
    user: "chen",
    sessions: [
      [
        { say: "I'm Chen, a second-year medical student.", facts: [f("name", "Name is Chen", undefined, "Chen"), f("job", "Is a second-year medical student", undefined, "student")] },
        { say: "I'm vegan.", facts: [f("diet", "Is vegan")] },
        { say: "I play the violin in a student orchestra.", facts: [f("music", "Plays the violin in a student orchestra")] },
        { say: "What's the difference between a virus and a bacterium?" },
      ],
      [
        { say: "I rent a room in Edinburgh.", facts: [f("city", "Lives in Edinburgh")] },
        { say: "My birthday is on the 3rd of March.", facts: [f("birthday", "Birthday is on 3 March")] },
        { say: "My phone is an old iPhone 8.", facts: [f("phone", "Uses an old iPhone 8")] },
        { say: "ok thanks" },
      ],
      [
        {
          say: "I graduated! I'm now a junior doctor at a hospital in Glasgow.",
          facts: [f("job", "Works as a junior doctor at a hospital", "update", "doctor"), f("city", "Lives in Glasgow", "update", "Glasgow")],
        },
        { say: "I switched to a Pixel 8 because the iPhone died.", facts: [f("phone", "Uses a Pixel 8", "update")] },
        { say: "I'm not vegan anymore, I eat fish now.", facts: [f("diet", "Eats fish; no longer vegan", "contradict")] },
      ],
      [
        { say: "I gave up the violin; I don't have time for orchestra anymore.", facts: [f("music", "Stopped playing the violin", "contradict")] },
        { say: "I adopted a retired greyhound named Bolt.", facts: [f("pet", "Has a retired greyhound named Bolt")] },
      ],
    ],
    questions: [
      { ask: "Which city am I based in?", slot: "city" },
      { ask: "What's my job now?", slot: "job" },
      { ask: "Can you plan a week of meals for me?", slot: "diet" },
      { ask: "What phone do I have?", slot: "phone" },
      { ask: "Do I still play in an orchestra?", slot: "music" },
      { ask: "When is my birthday?", slot: "birthday" },
      { ask: "What kind of dog do I have?", slot: "pet" },
      { ask: "Remind me what I'm called?", slot: "name" },
    ],
  },
  {
    user: "dana",
    sessions: [
      [
        { say: "My name's Dana and I teach maths at a secondary school.", facts: [f("name", "Name is Dana", undefined, "Dana"), f("job", "Teaches maths at a secondary school", undefined, "maths")] },
        { say: "I live in Toronto.", facts: [f("city", "Lives in Toronto")] },
        { say: "I have two kids, Noah and Ella.", facts: [f("kids", "Has two kids, Noah and Ella")] },
        { say: "Can you explain the Pythagorean theorem simply?" },
      ],
      [
        { say: "My favourite band is Radiohead.", facts: [f("music", "Favourite band is Radiohead")] },
        { say: "I'm saving up for a trip to Japan next year.", facts: [f("travel", "Is saving for a trip to Japan next year")] },
        { say: "I use a wheelchair, so I need step-free access when I travel.", facts: [f("access", "Uses a wheelchair and needs step-free access")] },
        { say: "Great, thank you!" },
      ],
      [
        { say: "We cancelled the Japan trip; we're going to Portugal instead.", facts: [f("travel", "Is planning a trip to Portugal instead of Japan", "update")] },
        { say: "I've been promoted to head of the maths department.", facts: [f("job", "Is head of the maths department", "update")] },
        { say: "I'm reading a lot of mystery novels lately.", facts: [f("reading", "Reads mystery novels")] },
      ],
      [
        { say: "Actually I can't stand Radiohead anymore, I mostly listen to jazz now.", facts: [f("music", "Mostly listens to jazz; no longer likes Radiohead", "contradict")] },
        { say: "What's the weather usually like in Lisbon in May?" },
      ],
    ],
    questions: [
      { ask: "Where am I going on holiday next year?", slot: "travel" },
      { ask: "What's my role at school?", slot: "job" },
      { ask: "Recommend some music I'd like.", slot: "music" },
      { ask: "What are my children's names?", slot: "kids" },
      { ask: "What accessibility needs should you keep in mind for me?", slot: "access" },
      { ask: "What city do I live in?", slot: "city" },
      { ask: "What genre of books do I enjoy?", slot: "reading" },
    ],
  },
  {
    user: "emre",
    sessions: [
      [
        {
          say: "I'm Emre, I'm from Istanbul but I live in Amsterdam now.",
          facts: [f("name", "Name is Emre", undefined, "Emre"), f("origin", "Is from Istanbul", undefined, "Istanbul"), f("city", "Lives in Amsterdam", undefined, "Amsterdam")],
        },
        { say: "I work remotely as a UX designer.", facts: [f("job", "Works remotely as a UX designer")] },
        { say: "I'm lactose intolerant.", facts: [f("allergy", "Is lactose intolerant")] },
        { say: "How are you today?" },
      ],
      [
        { say: "My bike is my main way of getting around.", facts: [f("transport", "Gets around by bike")] },
        { say: "I support Galatasaray.", facts: [f("team", "Supports Galatasaray")] },
        { say: "I'm looking for a one-bedroom flat to buy.", facts: [f("housing", "Is looking to buy a one-bedroom flat")] },
      ],
      [
        {
          say: "I bought the flat! It's in Utrecht, so I live there now.",
          facts: [f("housing", "Owns a one-bedroom flat in Utrecht", "update", "flat"), f("city", "Lives in Utrecht", "update", "Utrecht")],
        },
        { say: "I got a job at a design agency, so I'm not remote anymore; I commute to Rotterdam.", facts: [f("job", "Works at a design agency in Rotterdam, no longer remote", "update")] },
        { say: "I take the train every day now; the bike's just for weekends.", facts: [f("transport", "Commutes by train; uses the bike only at weekends", "update")] },
      ],
      [
        { say: "Can you help me write a cover letter?" },
        { say: "I've started going to a climbing gym on Thursdays.", facts: [f("hobby", "Goes climbing on Thursdays")] },
      ],
    ],
    questions: [
      { ask: "Where do I live?", slot: "city" },
      { ask: "Do I work from home?", slot: "job" },
      { ask: "How do I get to work?", slot: "transport" },
      { ask: "Which football team do I support?", slot: "team" },
      { ask: "Can I have a milkshake?", slot: "allergy" },
      { ask: "Do I own a home?", slot: "housing" },
      { ask: "What do I do on Thursdays?", slot: "hobby" },
      { ask: "Where am I originally from?", slot: "origin" },
    ],
  },
  {
    user: "fatima",
    sessions: [
      [
        { say: "Hello, I'm Fatima.", facts: [f("name", "Name is Fatima")] },
        { say: "I'm a nurse working night shifts.", facts: [f("job", "Works night shifts as a nurse")] },
        { say: "I live in Leeds.", facts: [f("city", "Lives in Leeds")] },
        { say: "Tell me a joke." },
      ],
      [
        { say: "I'm diabetic, type 1.", facts: [f("health", "Has type 1 diabetes")] },
        { say: "I'm learning to play the guitar.", facts: [f("hobby", "Is learning the guitar")] },
        { say: "I have a parrot named Kiwi.", facts: [f("pet", "Has a parrot named Kiwi")] },
        { say: "I prefer short answers, please.", facts: [f("style", "Prefers short answers")] },
      ],
      [
        { say: "I switched to day shifts at the clinic.", facts: [f("job", "Works day shifts as a nurse at a clinic", "update")] },
        { say: "Please give me detailed answers from now on, short ones aren't helpful.", facts: [f("style", "Prefers detailed answers, not short ones", "contradict")] },
        { say: "Kiwi passed away last week.", facts: [f("pet", "Her parrot Kiwi died", "contradict")] },
      ],
      [
        { say: "I'm driving a new Honda Jazz.", facts: [f("car", "Drives a Honda Jazz")] },
        { say: "What's the capital of Australia?" },
      ],
    ],
    questions: [
      { ask: "What shifts do I work?", slot: "job" },
      { ask: "How long should your answers to me be?", slot: "style" },
      { ask: "Do I have any pets?", slot: "pet" },
      { ask: "What medical condition do I have?", slot: "health" },
      { ask: "What instrument am I learning?", slot: "hobby" },
      { ask: "What car do I drive?", slot: "car" },
      { ask: "Which city do I live in?", slot: "city" },
    ],
  },
];

/** A fact version with its id (`user.slot#n`, n from 1) and what it superseded. */
export interface FactVersion extends FactSpec {
  id: string;
  user: string;
  /** The fact this one superseded (same slot, previous version), if any. */
  supersedes: FactVersion | null;
}

export interface IndexedScript {
  facts: FactVersion[];
  /** user → statement (trimmed, as learnRaw stores it) → the facts it states. */
  byStatement: Map<string, Map<string, FactVersion[]>>;
  /** user → slot → versions in order (the last is current). */
  slots: Map<string, Map<string, FactVersion[]>>;
}

/**
 * The facts a stored memory carries in raw mode: those of the statement it is, or, when raw mode cut
 * a corrected clause out of a statement, those of the statement it was cut from whose key it still holds.
 */
export function factsOfContent(statements: Map<string, FactVersion[]>, content: string): FactVersion[] {
  const exact = statements.get(content);
  if (exact) return exact;
  const pieces = content.split(/\s+/).filter(Boolean);
  for (const [statement, facts] of statements) {
    if (facts.length > 1 && pieces.every((p) => statement.includes(p))) return facts.filter((f) => content.includes(f.key!));
  }
  return [];
}

/** Numbers the fact versions and checks the script is consistent (throws on a mistake in it). */
export function indexScript(script: UserScript[]): IndexedScript {
  const facts: FactVersion[] = [];
  const byStatement = new Map<string, Map<string, FactVersion[]>>();
  const slots = new Map<string, Map<string, FactVersion[]>>();
  for (const u of script) {
    const statements = new Map<string, FactVersion[]>();
    const userSlots = new Map<string, FactVersion[]>();
    for (const turn of u.sessions.flat()) {
      const key = turn.say.trim();
      if (statements.has(key)) throw new Error(`${u.user}: the statement "${key}" appears twice`);
      const versions: FactVersion[] = [];
      for (const spec of turn.facts ?? []) {
        if ((turn.facts?.length ?? 0) > 1 && (!spec.key || !key.includes(spec.key))) throw new Error(`${u.user}: "${key}" states several facts; ${spec.slot} needs a key that occurs in it`);
        const chain = userSlots.get(spec.slot) ?? [];
        const prev = chain[chain.length - 1] ?? null;
        if (prev && !spec.change) throw new Error(`${u.user}.${spec.slot}: a second fact in a slot needs change: update | contradict`);
        if (!prev && spec.change) throw new Error(`${u.user}.${spec.slot}: "${spec.change}" with nothing to change`);
        const v: FactVersion = { ...spec, id: `${u.user}.${spec.slot}#${chain.length + 1}`, user: u.user, supersedes: prev };
        chain.push(v);
        userSlots.set(spec.slot, chain);
        versions.push(v);
        facts.push(v);
      }
      statements.set(key, versions);
    }
    for (const q of u.questions) if (!userSlots.has(q.slot)) throw new Error(`${u.user}: question "${q.ask}" asks about unknown slot ${q.slot}`);
    byStatement.set(u.user, statements);
    slots.set(u.user, userSlots);
  }
  return { facts, byStatement, slots };
}
