"""Synthetic session summaries: longer, fuller sessions at every risk level (hand-written; fictional)."""


def S(kind, session, cc, sx, risk, note, plan):
    return {"kind": kind, "session": session, "cc": cc, "sx": sx, "risk": risk, "note": note, "plan": plan}


ITEMS = [
    S("transcript", """Therapist: Welcome back. Last week you were going to try the worry time. How did it go?
    Client: Better than I expected, actually. The first couple of days I kept forgetting and just worried all day like normal. Then I put an alarm on my phone for half six.
    Therapist: What happened when the alarm went off?
    Client: I sat at the kitchen table with the list. Half the things on it I couldn't even remember why I'd been worried about them. The other half I'd already sorted, like ringing the garage.
    Therapist: That's a really common discovery. What about the worries that were still live?
    Client: The big one is still my mum's scan results. I can't do anything about that until Thursday.
    Therapist: So that's a worry about something you can't solve yet. What did you do with it?
    Client: I wrote it down, and then I went and did the washing up. It came back, but I told myself, that's for half six tomorrow.
    Therapist: How did your sleep go this week?
    Client: Four nights out of seven I was asleep by midnight. That's a record for this year.
    Therapist: That's real progress. Anything that got in the way on the other nights?
    Client: Sunday. I always dread Monday. I lay there going through the whole week's meetings.
    Therapist: Would it help to move worry time earlier on Sundays and plan the week then, so your mind doesn't have to do it in bed?
    Client: Yeah, I could do it after tea.
    Therapist: And just to check in, as I do every week, any thoughts of harming yourself or feeling hopeless?
    Client: No, none. I feel more hopeful, if anything. I'm still tense in my shoulders a lot.
    Therapist: Let's spend the last part on a relaxation exercise for your shoulders, then.""",
      "Generalised worry, week four of CBT", "Worry reduced with worry time; sleep improving; Sunday dread; shoulder tension",
      "moderate", "no SI; improving", "Sunday worry time after tea; progressive muscle relaxation; weekly CBT"),
    S("transcript", """Therapist: You said on the phone you wanted this session to be about what happened at the weekend.
    Client: Yeah. I don't really know how to start.
    Therapist: Take your time.
    Client: On Saturday I went to my brother's engagement party. Everyone was drinking and I had a few, which I'm not supposed to with my medication. And then my ex turned up with her new girlfriend. I left early and went home and I just sat in the bathroom for ages.
    Therapist: What was going through your mind in the bathroom?
    Client: That I'm a joke. That everyone was looking at me. That it would be easier to just not be around. I got my razor out. I didn't use it. I held it for maybe twenty minutes and then I put it back in the cabinet and went to bed.
    Therapist: Thank you for telling me all of that. What helped you put it back?
    Client: I thought about my dog, honestly. And I remembered the list we made, the one on my phone. I read it.
    Therapist: That's exactly what the safety plan is for, and you used it while drunk and upset, which is really hard. How have the thoughts been since?
    Client: Quieter. Sunday I felt awful, hungover and ashamed. Yesterday was okay. I'm not planning anything. I don't want to die. I want to stop feeling like a joke.
    Therapist: Where is the razor now?
    Client: Still in the cabinet.
    Therapist: Would you be willing to switch to an electric one for now, so that moment is harder next time?
    Client: I could do that. My mate has a spare.
    Therapist: I'd also like us to look at the drinking with your medication, and to add a couple of people to your plan who you could text on a night like Saturday.
    Client: My brother. He'd want to know, I think. I haven't told him anything.""",
      "Suicidal crisis after party, averted with safety plan", "Drinking on medication, humiliation, held razor twenty minutes, shame",
      "high", "recent suicidal thoughts with means; no current plan", "Remove razor; add brother to safety plan; alcohol and medication advice; weekly"),
    S("notes", """Session 7 of grief-focused therapy. Client, a 39-year-old man whose wife died of cancer eleven months ago,
    attended with a photo album as we had planned. He spent most of the session going through photographs
    from their twelve years together: their first holiday in a tent that flooded, the renovation of their
    house, their dog as a puppy, and a series of photos from the hospice that he had not looked at since
    she died. He cried through much of the session and said afterwards that it was "the first time I've
    let myself look at her properly". He reports that his sleep has improved to six or seven hours most
    nights, he is back at work four days a week, and he has started cooking again rather than living on
    takeaways. He is dreading the first anniversary next month and the Christmas period. His wife's family
    have invited him for Christmas and he is unsure whether to go. He describes waves of longing and anger,
    particularly at friends who "don't mention her name". He denies any thoughts of suicide or self-harm and
    says he wants to "live a life she'd be proud of". Drinks two or three beers at the weekend. We discussed
    planning for the anniversary, including what he might like to do on the day and who he would like to be
    with. He will also think about talking to a close friend about how hurtful it is when people avoid
    mentioning her.""",
      "Grief eleven months after wife's death", "Longing, anger at friends' avoidance, dread of anniversary; sleep and work improving",
      "low", "no SI; good engagement", "Plan anniversary day; talk to a friend; decide on Christmas; fortnightly sessions"),
    S("notes", """Assessment, referred urgently by GP. Client is a 23-year-old woman, final-year veterinary student, who
    told her GP that she has been thinking about suicide every day for about six weeks. She describes a
    gradual decline since the summer, when she failed a practical exam and had to resit. Since then she
    has been sleeping four hours a night, has lost her appetite, and has withdrawn from her friends and her
    hockey team. She feels like a fraud and believes she will fail her course and disappoint her parents,
    who are both vets. Over the last two weeks the thoughts have become more specific. She has access to
    euthanasia drugs on placement and has thought about taking some home, but she has not done so. She
    has looked up doses. She has no previous attempts and no history of self-harm. She has told nobody
    apart from her GP, and says she feels a little relief at having said it out loud. Protective factors:
    close relationship with her younger brother, her horse, and a sense that "part of me wants to be a
    vet". We discussed her immediate safety at length. She agreed that her placement supervisor could be
    told that she needs to be excused from the dispensary, without details, and gave permission for me to
    contact the crisis team, who will see her this evening. She will stay with a friend tonight and will
    not be alone. Her GP is reviewing medication tomorrow. She agreed to a written safety plan and to a
    follow-up appointment in two days.""",
      "Daily suicidal thoughts with access to lethal drugs", "Insomnia, poor appetite, withdrawal, failure beliefs, researched doses",
      "crisis", "specific SI, lethal means access at placement", "Crisis team tonight; excused from dispensary; stays with friend; safety plan"),
    S("transcript", """Therapist: So this is our last planned session. How are you feeling about that?
    Client: Mixed. Proud, I think. And a bit nervous about not having this every fortnight.
    Therapist: That's very natural. Can we look back at where you started?
    Client: I remember the first day. I couldn't get on a bus. I'd get halfway to the stop and my heart would go and I'd turn back. I hadn't been to my sister's house in a year because it meant two buses.
    Therapist: And this month?
    Client: I went to her house twice. On my own. I even went into town on the Saturday when it was packed.
    Therapist: What did you notice in your body on those trips?
    Client: A bit of the fluttery feeling at the start. But I know what it is now. It's not a heart attack. It comes up and then it goes down if I don't run.
    Therapist: That's the key thing you've learned. What would tell you that things were slipping?
    Client: If I started making excuses not to go places. Saying I'm tired when really I'm scared. Or getting my husband to drive me everywhere again.
    Therapist: And what would you do?
    Client: Get the hierarchy out again. Do the small steps. And ring here if it didn't work.
    Therapist: Any low mood or dark thoughts lately?
    Client: No, none. I'm enjoying things. We're going to Spain in the spring. On a plane!
    Therapist: That sounds like the next challenge.""",
      "End of treatment for panic with agoraphobia", "Travelling independently; occasional fluttery feeling that passes",
      "low", "none identified", "Discharge; relapse prevention plan; self-directed exposure; flight as next goal"),
    S("notes", """Session 3 with a 45-year-old man referred by his employer's occupational health service after he broke
    down at work. He is a site manager for a building firm and has worked six days a week for most of the
    last two years. His father died in the spring and he took two days off for the funeral. He describes
    constant fatigue, headaches, chest tightness, and a short fuse with his crew and his family. He has
    started drinking four or five cans most evenings "to switch off", and he has put on weight. Last week
    his teenage son told him he is "always angry", which upset him greatly. He says he has not grieved his
    father at all and feels there has been no time. He denies any thoughts of suicide and says he would
    never do that to his family, but he does sometimes think it would be nice to be ill enough to go into
    hospital "just to get a rest". He has not had a holiday in three years. We worked on a weekly schedule
    showing where his time goes and agreed on a trial of one full day off each week, starting this
    Sunday. He agreed to keep a simple drinks diary. We also talked about his father, which he found hard
    but said he was glad to do. He will speak to his GP about his chest tightness and blood pressure.""",
      "Exhaustion and irritability with unprocessed grief", "Fatigue, headaches, chest tightness, evening drinking, anger at home",
      "moderate", "no SI; wish for rest through illness", "One day off weekly; drinks diary; GP for chest and blood pressure; grief work"),
    S("transcript", """Therapist: I'm glad you came in today. Your mum said on the phone that she was really worried about you.
    Client: She's always worried. She overreacts.
    Therapist: What do you think she's worried about?
    Client: She found my notebook. I'd written some stuff. About not wanting to be here.
    Therapist: Can you tell me a bit about what you wrote?
    Client: Just that everyone would be happier without me. That I'm tired of trying. That kind of thing.
    Therapist: Those sound like really painful feelings. How long have you been feeling like that?
    Client: Since the start of year eleven, I suppose. So about three months. School's been awful. My friends stopped talking to me after something on a group chat.
    Therapist: Have you ever thought about how you might end your life?
    Client: Sometimes. I've thought about the pills in the kitchen. But I haven't done anything. I don't think I would. I just want the feeling to stop.
    Therapist: Thank you for being honest with me. Have you ever hurt yourself?
    Client: I scratched my arm with a compass once, last month. Not since.
    Therapist: I'd like to make a plan with you, and with your mum, for keeping you safe, including putting the medicines somewhere locked. And I think it would help to talk with school about the group chat. How would that feel?
    Client: Embarrassing. But maybe okay. As long as they don't make a big thing of it in front of everyone.""",
      "Teen with suicidal thoughts after friendship breakdown", "Three months low mood, thoughts about pills, one superficial self-harm",
      "high", "SI with considered method, no intent; recent self-harm", "Safety plan with mother; lock medicines; school liaison; CAMHS referral"),
    S("notes", """Ongoing work with a 31-year-old woman with a history of bulimia nervosa, now in session 14 of CBT-E. She
    reports that she has had two binge-purge episodes in the last fortnight, down from near-daily at the
    start of treatment, both following arguments with her partner about money. She has been eating three
    meals and three snacks most days and is no longer weighing herself more than once a week. Her potassium
    was normal at her last blood test. She still experiences strong urges after meals when she feels
    "too full", and we worked in session on tolerating fullness and on the link between the arguments and
    the urge to binge. She has started using a delay strategy, waiting twenty minutes and phoning a
    friend, which worked on four occasions this fortnight. She is frustrated that the episodes have not
    stopped entirely and says she feels she "should be fixed by now". We discussed that lapses are
    expected and that what matters is getting back to regular eating straight away, which she did both
    times. Mood is reasonable; she enjoys her work as a florist and has started a pottery class. She
    denies self-harm or suicidal thoughts. We also agreed that a joint session with her partner about
    handling money conversations might help, and she will ask him this week.""",
      "Bulimia nervosa, late-stage CBT-E", "Two binge-purge episodes in a fortnight linked to arguments; urges after meals",
      "moderate", "medically stable; no self-harm or SI", "Continue CBT-E; fullness tolerance; joint session with partner about money"),
    S("notes", """Telephone contact initiated by the client's husband at 9pm. He reported that his wife, a 54-year-old
    client known to the practice for recurrent depression, had left the house two hours earlier after
    saying "I'm sorry, I can't do this anymore" and had taken her car. She had been withdrawn for a week
    since her antidepressant was changed. She was not answering her phone. He found a note in the bedroom
    addressed to their daughters. The clinician advised him to call the police immediately and report her
    as a high-risk missing person, giving the car registration and the note's contents, and to stay at home
    in case she returned. The clinician also informed the crisis team. At 10.40pm the husband called back:
    police had found her parked at a reservoir car park and she had been taken to the emergency department
    for assessment. She had not harmed herself. The crisis team will see her in the department, and the
    practice will contact the family tomorrow morning. Care plan and medication change to be reviewed
    urgently with her psychiatrist.""",
      "Client missing after goodbye note", "Withdrawn since medication change; left home, found at reservoir",
      "crisis", "goodbye note, missing, high lethality", "Police found her; ED assessment; crisis team; urgent medication review"),
    S("transcript", """Therapist: How's the new job going?
    Client: Honestly? Better than I thought. It's a smaller team, and my manager actually asks how I am.
    Therapist: That's quite a change from the last place.
    Client: It's night and day. I used to get that knot in my stomach on the drive in. I don't have it anymore. Maybe a little on Mondays.
    Therapist: What about the evenings? You used to be checking emails until late.
    Client: I've taken the work app off my personal phone. First week was weird, I kept reaching for it. Now it's fine.
    Therapist: And sleep?
    Client: Seven, eight hours. I'm dreaming again, which is strange. I didn't realise I'd stopped.
    Therapist: How's your mood generally?
    Client: Good. Lighter. I went to my friend's birthday last weekend and actually stayed till the end.
    Therapist: That's lovely to hear. Anything still bothering you?
    Client: I still feel a bit guilty for leaving the old team. Like I abandoned them.
    Therapist: That sounds like it comes from caring about them. Is there anything you'd want to do with that feeling?
    Client: Maybe meet a couple of them for a drink. Keep in touch.
    Therapist: That sounds like a good idea. Shall we think about spacing our sessions out?""",
      "Recovery from burnout after job change", "Mild Monday tension, some guilt about leaving old team; sleeping well",
      "low", "none identified", "Space sessions to monthly; keep work app off phone; stay in touch with old team"),
]
