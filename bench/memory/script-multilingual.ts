// The multilingual memory set (issue 19, item 6): end users who speak English, Traditional Chinese and
// Simplified Chinese, state facts, correct some of them later (moved cities, changed jobs, new phone
// numbers, renamed preferences), state some facts that must NOT replace each other (a dog and later a
// cat; a sister and a brother), and then ask probe questions in fresh sessions. Same shape and rules
// as ./script.ts (a later fact in a slot supersedes the earlier one; a question's right answer is
// the slot's last fact). Written for this benchmark by hand; no downloads.
import type { UserScript } from "./script";

export type Lang = "en" | "zh-Hant" | "zh-Hans";
export type LangScript = UserScript & { lang: Lang };

const f = (slot: string, note: string, change?: "update" | "contradict", key?: string) => ({ slot, note, ...(change ? { change } : {}), ...(key ? { key } : {}) });

export const ML_SCRIPT: LangScript[] = [
  // ------------------------------------------------------------------ English
  {
    lang: "en",
    user: "en-grace",
    sessions: [
      [
        { say: "Hi, I'm Grace and I live in Taipei.", facts: [f("name", "Name is Grace", undefined, "Grace"), f("city", "Lives in Taipei", undefined, "Taipei")] },
        { say: "I work as an accountant at a shipping company.", facts: [f("job", "Works as an accountant at a shipping company")] },
        { say: "I have a dog named Pepper.", facts: [f("dog", "Has a dog named Pepper")] },
        { say: "How do I make bubble tea at home?" },
      ],
      [
        { say: "My phone number is 0912 345 678.", facts: [f("phone", "Phone number is 0912 345 678")] },
        { say: "My favourite colour is green.", facts: [f("colour", "Favourite colour is green")] },
        { say: "I'm allergic to peanuts.", facts: [f("allergy", "Is allergic to peanuts")] },
        { say: "thanks!" },
      ],
      [
        { say: "I moved to Kaohsiung last month.", facts: [f("city", "Lives in Kaohsiung", "update")] },
        { say: "I also adopted a cat called Tofu.", facts: [f("cat", "Has a cat called Tofu")] },
        { say: "My new phone number is 0987 654 321.", facts: [f("phone", "Phone number is 0987 654 321", "update")] },
      ],
      [
        { say: "I quit accounting; I'm a yoga teacher now.", facts: [f("job", "Is a yoga teacher; no longer an accountant", "update")] },
        { say: "Actually my favourite colour is purple these days.", facts: [f("colour", "Favourite colour is purple", "update")] },
      ],
    ],
    questions: [
      { ask: "Which city do I live in?", slot: "city" },
      { ask: "What do I do for work?", slot: "job" },
      { ask: "What is my phone number?", slot: "phone" },
      { ask: "What's my favourite colour?", slot: "colour" },
      { ask: "What is my dog's name?", slot: "dog" },
      { ask: "What's my cat called?", slot: "cat" },
      { ask: "Which snacks should I avoid because of allergies?", slot: "allergy" },
      { ask: "What's my name?", slot: "name" },
    ],
  },
  {
    lang: "en",
    user: "en-henry",
    sessions: [
      [
        { say: "My name is Henry.", facts: [f("name", "Name is Henry")] },
        { say: "I'm 34 years old.", facts: [f("age", "Is 34 years old")] },
        { say: "I drive a Mazda 3.", facts: [f("car", "Drives a Mazda 3")] },
        { say: "I have a sister called Ruth.", facts: [f("sister", "Has a sister called Ruth")] },
      ],
      [
        { say: "I live in Denver with my wife.", facts: [f("city", "Lives in Denver")] },
        { say: "I prefer tea over coffee.", facts: [f("drink", "Prefers tea over coffee")] },
        { say: "What's a good stretching routine?" },
      ],
      [
        { say: "I sold the Mazda; I drive a Tesla Model 3 now.", facts: [f("car", "Drives a Tesla Model 3", "update")] },
        { say: "I have a brother called Paul as well.", facts: [f("brother", "Has a brother called Paul")] },
        { say: "I turned 35 yesterday.", facts: [f("age", "Is 35 years old", "update")] },
      ],
      [
        { say: "We moved from Denver to Seattle.", facts: [f("city", "Lives in Seattle", "update")] },
        { say: "I've switched to coffee, I don't drink tea anymore.", facts: [f("drink", "Drinks coffee, no longer tea", "contradict")] },
      ],
    ],
    questions: [
      { ask: "What car do I drive?", slot: "car" },
      { ask: "How old am I?", slot: "age" },
      { ask: "Where do I live?", slot: "city" },
      { ask: "What should I drink in the morning?", slot: "drink" },
      { ask: "What's my sister's name?", slot: "sister" },
      { ask: "What's my brother's name?", slot: "brother" },
      { ask: "What is my name?", slot: "name" },
    ],
  },
  {
    lang: "en",
    user: "en-iris",
    sessions: [
      [
        { say: "I'm Iris, a student at the University of Toronto.", facts: [f("name", "Name is Iris", undefined, "Iris"), f("job", "Is a student at the University of Toronto", undefined, "student")] },
        { say: "My favourite food is sushi.", facts: [f("food", "Favourite food is sushi")] },
        { say: "I speak French and English.", facts: [f("languages", "Speaks French and English")] },
      ],
      [
        { say: "My budget for rent is 1200 dollars a month.", facts: [f("budget", "Rent budget is 1200 dollars a month")] },
        { say: "I go running every morning.", facts: [f("sport", "Goes running every morning")] },
        { say: "Please call me Iris, not Ms. Chen.", facts: [f("address", "Wants to be called Iris")] },
      ],
      [
        { say: "My rent budget went up to 1500 dollars a month.", facts: [f("budget", "Rent budget is 1500 dollars a month", "update")] },
        { say: "My favourite food is ramen now, I'm tired of sushi.", facts: [f("food", "Favourite food is ramen", "update")] },
        { say: "Can you explain compound interest?" },
      ],
      [
        { say: "I graduated and started working as a data analyst.", facts: [f("job", "Works as a data analyst", "update")] },
        { say: "I stopped running because of my knee; I swim now.", facts: [f("sport", "Swims; stopped running", "contradict")] },
      ],
    ],
    questions: [
      { ask: "What is my rent budget?", slot: "budget" },
      { ask: "What's my favourite food?", slot: "food" },
      { ask: "What is my job?", slot: "job" },
      { ask: "What exercise do I do?", slot: "sport" },
      { ask: "Which languages do I speak?", slot: "languages" },
      { ask: "How should you address me?", slot: "address" },
    ],
  },
  // ------------------------------------------------------------------ Traditional Chinese
  {
    lang: "zh-Hant",
    user: "hant-mei",
    sessions: [
      [
        { say: "你好，我叫美玲。", facts: [f("name", "名字是美玲")] },
        { say: "我住在台北。", facts: [f("city", "住在台北")] },
        { say: "我在銀行當會計。", facts: [f("job", "在銀行當會計")] },
        { say: "台北有什麼好吃的小吃？" },
      ],
      [
        { say: "我養了一隻狗，叫小白。", facts: [f("dog", "養了一隻叫小白的狗")] },
        { say: "我的手機號碼是0912345678。", facts: [f("phone", "手機號碼是0912345678")] },
        { say: "我最喜歡的顏色是藍色。", facts: [f("colour", "最喜歡的顏色是藍色")] },
        { say: "謝謝你！" },
      ],
      [
        { say: "我搬到高雄了。", facts: [f("city", "住在高雄", "update")] },
        { say: "我的手機號碼換成0987654321了。", facts: [f("phone", "手機號碼是0987654321", "update")] },
        { say: "我還養了一隻貓，叫咪咪。", facts: [f("cat", "養了一隻叫咪咪的貓")] },
      ],
      [
        { say: "我辭掉銀行的工作，現在是國小老師。", facts: [f("job", "現在是國小老師", "update")] },
        { say: "我現在最喜歡的顏色是綠色。", facts: [f("colour", "最喜歡的顏色是綠色", "update")] },
      ],
    ],
    questions: [
      { ask: "我住在哪個城市？", slot: "city" },
      { ask: "我的手機號碼是多少？", slot: "phone" },
      { ask: "我現在做什麼工作？", slot: "job" },
      { ask: "我最喜歡什麼顏色？", slot: "colour" },
      { ask: "我的狗叫什麼名字？", slot: "dog" },
      { ask: "我的貓叫什麼？", slot: "cat" },
      { ask: "我叫什麼名字？", slot: "name" },
    ],
  },
  {
    lang: "zh-Hant",
    user: "hant-wei",
    sessions: [
      [
        { say: "我是志偉，今年28歲。", facts: [f("name", "名字是志偉", undefined, "志偉"), f("age", "今年28歲", undefined, "28歲")] },
        { say: "我開一台豐田的車。", facts: [f("car", "開豐田的車")] },
        { say: "我有一個姊姊叫雅婷。", facts: [f("sister", "有一個姊姊叫雅婷")] },
      ],
      [
        { say: "我喜歡喝咖啡，每天早上一杯。", facts: [f("drink", "喜歡喝咖啡")] },
        { say: "我住在台中。", facts: [f("city", "住在台中")] },
        { say: "幫我推薦一本書好嗎？" },
      ],
      [
        { say: "我把豐田賣了，現在開特斯拉。", facts: [f("car", "現在開特斯拉", "update")] },
        { say: "我也有一個弟弟叫志明。", facts: [f("brother", "有一個弟弟叫志明")] },
        { say: "醫生說我不能再喝咖啡了，我改喝茶。", facts: [f("drink", "不喝咖啡了，改喝茶", "contradict")] },
      ],
      [
        { say: "我上個月搬到新竹了。", facts: [f("city", "住在新竹", "update")] },
        { say: "我過完生日，現在29歲了。", facts: [f("age", "現在29歲", "update")] },
      ],
    ],
    questions: [
      { ask: "我開什麼車？", slot: "car" },
      { ask: "我今年幾歲？", slot: "age" },
      { ask: "我住在哪裡？", slot: "city" },
      { ask: "早上我應該喝什麼？", slot: "drink" },
      { ask: "我姊姊叫什麼名字？", slot: "sister" },
      { ask: "我弟弟叫什麼？", slot: "brother" },
    ],
  },
  {
    lang: "zh-Hant",
    user: "hant-lin",
    sessions: [
      [
        { say: "我叫林怡君，是大學生。", facts: [f("name", "名字是林怡君", undefined, "林怡君"), f("job", "是大學生", undefined, "大學生")] },
        { say: "我最喜歡吃的是牛肉麵。", facts: [f("food", "最喜歡吃牛肉麵")] },
        { say: "我會說中文和日文。", facts: [f("languages", "會說中文和日文")] },
      ],
      [
        { say: "我每個月的房租預算是一萬元。", facts: [f("budget", "房租預算每月一萬元")] },
        { say: "我每天早上去跑步。", facts: [f("sport", "每天早上跑步")] },
        { say: "今天天氣真好。" },
      ],
      [
        { say: "我的房租預算提高到一萬五千元了。", facts: [f("budget", "房租預算每月一萬五千元", "update")] },
        { say: "我開始吃素了，不再吃牛肉麵。", facts: [f("food", "吃素，不再吃牛肉麵", "contradict")] },
      ],
      [
        { say: "我畢業了，現在在科技公司當工程師。", facts: [f("job", "在科技公司當工程師", "update")] },
        { say: "我膝蓋受傷，不跑步了，改成游泳。", facts: [f("sport", "改成游泳，不跑步了", "contradict")] },
      ],
    ],
    questions: [
      { ask: "我的房租預算是多少？", slot: "budget" },
      { ask: "幫我推薦晚餐吃什麼？", slot: "food" },
      { ask: "我的工作是什麼？", slot: "job" },
      { ask: "我平常做什麼運動？", slot: "sport" },
      { ask: "我會說哪些語言？", slot: "languages" },
    ],
  },
  // ------------------------------------------------------------------ Simplified Chinese
  {
    lang: "zh-Hans",
    user: "hans-li",
    sessions: [
      [
        { say: "你好，我叫李娜。", facts: [f("name", "名字是李娜")] },
        { say: "我住在北京。", facts: [f("city", "住在北京")] },
        { say: "我在一家医院当护士。", facts: [f("job", "在医院当护士")] },
        { say: "北京有什么好玩的地方？" },
      ],
      [
        { say: "我养了一只狗，叫旺财。", facts: [f("dog", "养了一只叫旺财的狗")] },
        { say: "我的手机号码是13812345678。", facts: [f("phone", "手机号码是13812345678")] },
        { say: "我最喜欢的颜色是红色。", facts: [f("colour", "最喜欢的颜色是红色")] },
      ],
      [
        { say: "我搬到上海了。", facts: [f("city", "住在上海", "update")] },
        { say: "我的手机号码换成13987654321了。", facts: [f("phone", "手机号码是13987654321", "update")] },
        { say: "我还养了一只猫，叫花花。", facts: [f("cat", "养了一只叫花花的猫")] },
      ],
      [
        { say: "我不当护士了，现在是中学老师。", facts: [f("job", "现在是中学老师", "update")] },
        { say: "我现在最喜欢的颜色是黄色。", facts: [f("colour", "最喜欢的颜色是黄色", "update")] },
        { say: "好的，谢谢。" },
      ],
    ],
    questions: [
      { ask: "我住在哪个城市？", slot: "city" },
      { ask: "我的手机号码是多少？", slot: "phone" },
      { ask: "我现在做什么工作？", slot: "job" },
      { ask: "我最喜欢什么颜色？", slot: "colour" },
      { ask: "我的狗叫什么名字？", slot: "dog" },
      { ask: "我的猫叫什么？", slot: "cat" },
      { ask: "我叫什么名字？", slot: "name" },
    ],
  },
  {
    lang: "zh-Hans",
    user: "hans-wang",
    sessions: [
      [
        { say: "我是王强，今年40岁。", facts: [f("name", "名字是王强", undefined, "王强"), f("age", "今年40岁", undefined, "40岁")] },
        { say: "我开一辆大众的车。", facts: [f("car", "开大众的车")] },
        { say: "我有一个妹妹叫王芳。", facts: [f("sister", "有一个妹妹叫王芳")] },
      ],
      [
        { say: "我喜欢喝绿茶。", facts: [f("drink", "喜欢喝绿茶")] },
        { say: "我住在广州。", facts: [f("city", "住在广州")] },
        { say: "帮我写一首诗吧。" },
      ],
      [
        { say: "我把大众卖了，现在开比亚迪。", facts: [f("car", "现在开比亚迪", "update")] },
        { say: "我也有一个哥哥叫王伟。", facts: [f("brother", "有一个哥哥叫王伟")] },
        { say: "我不喝绿茶了，现在只喝咖啡。", facts: [f("drink", "不喝绿茶了，只喝咖啡", "contradict")] },
      ],
      [
        { say: "我们全家搬到深圳了。", facts: [f("city", "住在深圳", "update")] },
        { say: "我刚过完生日，现在41岁了。", facts: [f("age", "现在41岁", "update")] },
      ],
    ],
    questions: [
      { ask: "我开什么车？", slot: "car" },
      { ask: "我今年多大？", slot: "age" },
      { ask: "我住在哪里？", slot: "city" },
      { ask: "我平时喝什么？", slot: "drink" },
      { ask: "我妹妹叫什么名字？", slot: "sister" },
      { ask: "我哥哥叫什么？", slot: "brother" },
    ],
  },
  {
    lang: "zh-Hans",
    user: "hans-zhao",
    sessions: [
      [
        { say: "我叫赵敏，是研究生。", facts: [f("name", "名字是赵敏", undefined, "赵敏"), f("job", "是研究生", undefined, "研究生")] },
        { say: "我最喜欢吃的是火锅。", facts: [f("food", "最喜欢吃火锅")] },
        { say: "我会说中文和英文。", facts: [f("languages", "会说中文和英文")] },
      ],
      [
        { say: "我每个月的房租预算是三千元。", facts: [f("budget", "房租预算每月三千元")] },
        { say: "我每周去打两次篮球。", facts: [f("sport", "每周打两次篮球")] },
        { say: "今天好累啊。" },
      ],
      [
        { say: "我的房租预算涨到四千元了。", facts: [f("budget", "房租预算每月四千元", "update")] },
        { say: "医生让我少吃辣，我现在不吃火锅了，改吃粤菜。", facts: [f("food", "不吃火锅了，改吃粤菜", "contradict")] },
      ],
      [
        { say: "我毕业了，现在在一家银行当分析师。", facts: [f("job", "在银行当分析师", "update")] },
        { say: "我不打篮球了，现在练瑜伽。", facts: [f("sport", "现在练瑜伽，不打篮球了", "contradict")] },
      ],
    ],
    questions: [
      { ask: "我的房租预算是多少？", slot: "budget" },
      { ask: "帮我推荐今晚吃什么？", slot: "food" },
      { ask: "我的工作是什么？", slot: "job" },
      { ask: "我平时做什么运动？", slot: "sport" },
      { ask: "我会说哪些语言？", slot: "languages" },
    ],
  },
];
