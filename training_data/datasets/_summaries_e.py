"""Synthetic session summaries, risk low (hand-written; fictional people only)."""


def S(kind, session, cc, sx, risk, note, plan):
    return {"kind": kind, "session": session, "cc": cc, "sx": sx, "risk": risk, "note": note, "plan": plan}


R = "low"
ITEMS = [
    S("notes", """Client, 29, graphic designer, self-referred for stress around a recent promotion. More meetings, less
    creative work, checking messages in the evenings, mild Sunday-evening tension. Sleep mostly fine, one
    poor night a week. Exercising, seeing friends, relationship good. No low mood, no suicidal thoughts.
    Wants practical strategies. Discussed a firm end-of-day shutdown routine and asking her manager for protected design time. She will try both for a month.""",
      "Work stress after promotion", "Evening message checking, Sunday tension, occasional poor sleep",
      R, "none identified", "End-of-day routine; request protected design time; review in four weeks"),
    S("transcript", """Therapist: How have the last few weeks been since we spaced the sessions out?
    Client: Honestly, good. I've had a couple of anxious mornings before big meetings but I used the breathing and it passed.
    Therapist: Any avoidance creeping back?
    Client: No. I even volunteered to present at the team day. I was nervous, but it went fine.
    Therapist: That's a big step. How's your sleep?
    Client: Seven hours most nights. I've kept the phone out of the bedroom.
    Therapist: It sounds like you're ready to think about ending our sessions.
    Client: I think so. It's a bit scary, but yes.""",
      "Review of work-related anxiety", "Occasional anticipatory anxiety managed with breathing; no avoidance",
      R, "no safety concerns", "Plan ending; relapse prevention summary; final session in a month"),
    S("notes", """Client, 67, retired librarian, recently widowed 18 months ago, attending for a check-in. Reports she is
    doing well: walking group twice a week, volunteering at a charity shop, seeing grandchildren. Sad around
    anniversaries, and still talks to her husband's photo, which she finds comforting. Eating and sleeping
    well. No suicidal thoughts. Agreed no further sessions needed at present. She said she wanted the practice to know she is managing, because a year ago she could not imagine it.""",
      "Grief check-in 18 months after bereavement", "Sadness around anniversaries; active social life",
      R, "none; healthy grieving", "No further sessions; open invitation to return around anniversary"),
    S("notes", """Client, 21, student, anxious about upcoming final exams. Some difficulty sleeping the night before exams
    and occasional headaches during revision. Eating well, seeing friends, enjoys football. No low mood or
    suicidal thoughts. Previous exams went well despite nerves. Discussed revision timetable with breaks,
    realistic goals, and a short relaxation routine the night before. He tends to stay up late re-reading notes before exams; agreed to stop revising by 9pm and to prepare his bag and travel the evening before.""",
      "Exam nerves before finals", "Pre-exam sleep difficulty, revision headaches",
      R, "none identified", "Revision schedule with breaks; relaxation routine; self-help resources"),
    S("transcript", """Client: I'm here because my GP suggested it, but honestly I think I'm mostly fine.
    Therapist: What made your GP suggest it?
    Client: I mentioned I've been a bit flat since my son moved to Australia. It's been three months.
    Therapist: What does flat look like?
    Client: Quieter house. I miss cooking for someone. But I still go to choir, I see my friends, I sleep fine.
    Therapist: Any thoughts of harming yourself?
    Client: Goodness, no. I'm just adjusting.
    Therapist: It sounds like a normal adjustment. Shall we think about what might help the house feel less quiet?""",
      "Adjusting after son emigrated", "Mild flatness, quiet house; still active socially",
      R, "none identified", "Monitor mood; weekly video calls with son; consider a cookery club"),
    S("notes", """Client, 35, attending for session 12 of CBT for depression. PHQ-9 down from 18 to 5. Back at work full time,
    exercising three times a week, reconnected with friends. Occasional low days after poor sleep which she
    now recognises and manages. No suicidal thoughts since session 3. Agreed relapse prevention plan and discharge. Her early warning signs are staying in bed at weekends and cancelling on friends; her sister knows these signs too.""",
      "End of CBT for depression", "Occasional low days after poor sleep; mood largely recovered",
      R, "no SI since early treatment", "Discharge with relapse prevention plan; GP to continue medication review"),
    S("notes", """Client, 44, father of two, wants help with his temper at home. Snaps at the children when tired after work,
    then feels guilty. No violence, no threats. Enjoys his job, sleeps well, drinks occasionally. Wife says he
    is a good dad who gets short-tempered. Discussed recognising early signs of irritation, a
    ten-minute buffer after getting home, and repair conversations with the children.""",
      "Irritability with children after work", "Snapping when tired, guilt afterwards",
      R, "no risk to self or others", "Transition buffer after work; early-warning signs; parenting resource"),
    S("transcript", """Therapist: You said your sleep has been off lately.
    Client: Since the clocks changed. I wake at five and can't get back off. I'm fine during the day, a bit tired.
    Therapist: What do you do when you wake at five?
    Client: Scroll on my phone, mostly.
    Therapist: And is anything on your mind when you wake?
    Client: Not really. Maybe work a bit. Nothing big.
    Therapist: Let's try a few sleep changes: phone out of the bedroom, the same wake-up time, and some daylight in the morning.
    Client: I can try that.""",
      "Early waking since the clocks changed", "Waking at 5am, mild daytime tiredness",
      R, "none identified", "Sleep hygiene changes; morning daylight; review in three weeks"),
    S("notes", """Client, 26, nurse, monthly check-in after completing treatment for panic disorder last spring. One brief
    panic episode in a crowded shop last month which she rode out without leaving. No avoidance. Working
    full time and has started a running club. No low mood or suicidal thoughts. Confident in her skills. She described the shop episode calmly and noted that the sensations peaked and passed within a few minutes. Agreed she does not need regular sessions.""",
      "Maintenance check after panic disorder treatment", "One brief panic episode managed; no avoidance",
      R, "none identified", "Continue self-management; next check-in in three months"),
    S("notes", """Client, 38, describes loneliness since moving to a village for her partner's job. Partner works long hours.
    She works from home, has joined a yoga class and knows a couple of neighbours. Mood good overall, enjoys
    gardening. No suicidal thoughts. Would like ideas for building friendships in a small community. We looked at the village noticeboard and parish newsletter together and found a book club and a community garden that meet in the evenings.""",
      "Loneliness after moving to a village", "Mild isolation while working from home",
      R, "none identified", "Village groups and volunteering; co-working day in town; peer support"),
    S("transcript", """Client: My doctor says my drinking is a bit over the limit. About twenty units a week, mostly weekends.
    Therapist: How do you feel about that?
    Client: I didn't realise it was that much. I want to cut back before it becomes a problem.
    Therapist: What does a typical weekend look like?
    Client: A few pints Friday with the lads, wine with dinner Saturday and Sunday.
    Therapist: Any drinking in the mornings, or feeling you need it?
    Client: No, never. It's social.
    Therapist: Let's pick a couple of small changes you'd be happy with.""",
      "Weekend drinking slightly above guidelines", "Around twenty units weekly, social drinking",
      R, "no dependence", "Drink-free days; lower-strength options; track units with an app"),
    S("notes", """Client, 52, carer for his son with autism, attending a one-off session for stress around a change of school.
    Sleep fine, mood generally good, supportive wife and respite at weekends. Worried about the transition
    meetings and paperwork. No suicidal thoughts. Discussed breaking tasks down and contacting the parent support service at the new school. He also plans to visit the school with his son twice before the start of term.""",
      "Stress about son's school transition", "Worry about meetings and paperwork",
      R, "none identified", "Break tasks down; contact parent support service; no follow-up needed"),
    S("notes", """Client, 31, anxious about flying to a wedding abroad next month. Has flown before with discomfort but no
    panic. Otherwise well, no other anxiety, good mood, sleeping well. No suicidal thoughts. Discussed how
    planes work, turbulence, and a breathing routine; recommended an airline fear-of-flying course. She will also download an app that explains the sounds of a flight and plans to tell the cabin crew she is a nervous flyer. She feels more prepared already.""",
      "Fear of flying before a trip", "Anticipatory anxiety about flight",
      R, "none identified", "Fear-of-flying course; breathing routine; self-help reading"),
    S("transcript", """Therapist: You said you wanted to talk about your dad's anniversary coming up.
    Client: It's five years next week. I'm okay, but I always get a bit low around it.
    Therapist: What do you usually do on the day?
    Client: I go to his favourite café and have a bacon roll. It makes me smile.
    Therapist: That sounds like a lovely way to remember him.
    Client: My sister's coming this year too. I just wanted to check that feeling low that week is normal.
    Therapist: It's very normal. Anniversaries often bring grief back for a while.""",
      "Low mood around father's anniversary", "Expected seasonal grief; good coping ritual",
      R, "none identified", "Continue anniversary ritual with sister; return if low mood persists"),
    S("notes", """Client, 47, teacher, end-of-term tiredness, some irritability, and difficulty switching off in the evenings.
    Sleeping 6-7 hours. Enjoys holidays, exercises, good family support. No low mood of note. No suicidal
    thoughts. Discussed protecting one evening a week for hobbies and planning the first days of the holiday as genuine rest. He tends to spend the first week of holidays catching up on planning, which leaves him feeling he never had a break.""",
      "End-of-term tiredness in teaching", "Irritability, difficulty switching off",
      R, "none identified", "Protected hobby evening; rest plan for holidays"),
    S("notes", """Client, 19, apprentice, asked for help with confidence speaking up in team meetings. Occasional blushing and
    racing heart, but attends all meetings and gets on with colleagues. No other anxiety. Mood good, sleep
    good. No suicidal thoughts. Practised a short script for contributing one idea per meeting. She noticed that colleagues often welcome her ideas once she speaks. Agreed to note each contribution and how people responded, to build evidence against the fear of sounding stupid.""",
      "Low confidence speaking in meetings", "Blushing and racing heart, no avoidance",
      R, "none identified", "One contribution per meeting; self-help on assertiveness"),
    S("transcript", """Client: I've been comfort eating a bit since starting my night shifts. Biscuits at 3am, that kind of thing.
    Therapist: How do you feel about it?
    Client: Not terrible. I'd just like to feel a bit healthier.
    Therapist: Any bingeing where you feel out of control, or making yourself sick?
    Client: No, nothing like that. It's just boredom and tiredness.
    Therapist: Would it help to plan a proper meal mid-shift and bring snacks you actually enjoy?
    Client: Yes, I never have a proper break.""",
      "Comfort eating on night shifts", "Snacking from boredom and tiredness; no bingeing or purging",
      R, "no eating disorder features", "Planned mid-shift meal; healthier snacks; self-help resources"),
    S("notes", """Client, 63, recently retired, finding the days unstructured. Sleeping later, watching more TV, but mood is
    fine and she enjoys seeing her grandchildren twice a week. Husband still working. No suicidal thoughts.
    Interested in volunteering and a local history society. Discussed a weekly plan with two fixed activities. She said she had expected retirement to feel like a long holiday and is surprised to miss the routine. Her husband retires next year and they are planning a trip together.""",
      "Adjusting to retirement", "Unstructured days, more TV; mood fine",
      R, "none identified", "Weekly plan with two fixed activities; explore volunteering"),
    S("notes", """Client, 33, follow-up six months after grief therapy for the loss of her brother. Doing well: back at
    work, dating, running a 10k for a charity in his memory. Still has tearful moments at family gatherings,
    which she accepts. No suicidal thoughts. Agreed discharge. She said the grief feels different now, less like a wound and more like something she carries with her. Her parents are also doing better, and the family have planted a tree at his old school.""",
      "Six-month follow-up after grief therapy", "Occasional tearfulness at family events; functioning well",
      R, "none identified", "Discharge; charity run as ongoing memorial"),
    S("transcript", """Therapist: What's on your mind today?
    Client: My flatmates. We argue about cleaning constantly and I dread going home.
    Therapist: What happens in the arguments?
    Client: Passive-aggressive notes, mostly. Nobody talks about it directly.
    Therapist: How's everything else? Work, sleep, mood?
    Client: All fine really. I just hate the atmosphere.
    Therapist: Would it help to plan how to raise it at a house meeting?
    Client: Yes. I think a rota might actually solve it.""",
      "Conflict with flatmates over cleaning", "Dread of going home; otherwise well",
      R, "none identified", "House meeting with rota proposal; assertive communication tips"),
    S("notes", """Client, 40, reports mild seasonal low mood in winter for several years: lower energy, craving carbohydrates,
    sleeping an extra hour. Still working and socialising. No suicidal thoughts. Wants to prepare for the
    coming winter. Discussed morning daylight walks, a light box, and keeping up social plans. Last winter he stopped going to his five-a-side game in December and noticed his mood dipped more after that. Agreed to keep the game going this year and review in January.""",
      "Mild seasonal low mood", "Low winter energy, carbohydrate cravings, extra sleep",
      R, "none identified", "Morning daylight; light box; maintain social plans; review in January"),
    S("notes", """Client, 28, single mother, stressed by juggling work and childcare during school holidays. Tired but coping,
    mood generally good, support from her mother two days a week. No suicidal thoughts. Discussed a shared
    childcare swap with another parent and local holiday clubs with subsidised places. She worries that she is not doing enough fun things with the children during the holidays. Reassured that simple activities count, and she will plan one day out each week.""",
      "Holiday childcare stress", "Tiredness while juggling work and children",
      R, "none identified", "Childcare swap; subsidised holiday clubs; peer support group"),
    S("transcript", """Client: I used to self-harm when I was at school. I'm 32 now and haven't in over ten years. My daughter's starting secondary school and I'm worried about her.
    Therapist: What worries you?
    Client: That she'll go through what I did. She seems happy, she's got friends.
    Therapist: Are you having any urges yourself?
    Client: No. None. It's more that it's brought back memories.
    Therapist: It makes sense that this milestone stirs things up. Let's think about how you might talk to her about feelings in an open way.""",
      "Worry about daughter starting secondary school", "Memories of own past self-harm; no current urges",
      R, "no self-harm for ten years", "Open conversations with daughter; parenting resources; no follow-up needed"),
    S("notes", """Client, 55, lorry driver, referred after a minor collision in which no one was hurt. Some jumpiness at the
    same junction for a couple of weeks, now easing. Sleeping fine, no nightmares, back at work. No suicidal
    thoughts. Psychoeducation on normal stress reactions; advised to return if symptoms persist after a month. He was pleased to be told his reaction is common.""",
      "Jumpiness after minor road collision", "Startle at same junction, easing",
      R, "none identified", "Watchful waiting; return if persisting beyond a month"),
    S("notes", """Client, 24, wants to reduce social media use, which she feels makes her compare herself with others. Scrolls
    for around four hours a day, mostly at night. Mood good, sleep slightly late. No eating concerns, no
    suicidal thoughts. Agreed app time limits and a phone-free hour before bed. She will also unfollow accounts that make her feel worse and follow more that she enjoys, such as art and cooking pages. She plans to read before sleep instead.""",
      "Wants to reduce social media use", "Comparison with others, late-night scrolling",
      R, "none identified", "App time limits; phone-free hour before bed; self-help resources"),
    S("transcript", """Therapist: Last time you said you'd like to quit smoking. How's it going?
    Client: Down from fifteen a day to five. The patches help.
    Therapist: That's a big drop. What's been hardest?
    Client: After dinner and when I'm stressed at work.
    Therapist: How's your mood with it?
    Client: A bit grumpy first thing. Otherwise fine. My wife's thrilled.
    Therapist: Let's plan for those after-dinner moments.
    Client: Maybe a walk with the dog.""",
      "Stopping smoking", "Cut from fifteen to five a day; cravings after dinner",
      R, "none identified", "After-dinner walk; continue patches; stop-smoking service follow-up"),
    S("notes", """Client, 45, attending after her mother's death six weeks ago following a long illness. Sad, tearful at times,
    but also relieved her mother is no longer suffering, which she feels guilty about. Sleeping and eating
    well, back at work, supported by her partner. No suicidal thoughts. Normalised mixed feelings in grief. She nursed her mother for three years and is now unsure what to do with the time. We talked about giving herself permission to rest before making any big decisions.""",
      "Grief with relief after mother's long illness", "Sadness, tearfulness, guilt about relief",
      R, "none identified", "Normalise mixed feelings; bereavement leaflet; return if needed"),
    S("notes", """Client, 36, new father, mild worries about being a good parent and some tiredness. Enjoying the baby,
    sharing night feeds, partner well. No low mood, no intrusive thoughts, no suicidal thoughts. Wanted reassurance and information on fathers' groups. He said his own father was not very involved and he wants to do things differently, which sometimes makes him worry he is getting things wrong. Reassured that his worries reflect care. He will go back to work in two weeks and plans to keep the bedtime routine with the baby.""",
      "New father's worries about parenting", "Mild worry, tiredness",
      R, "none identified", "Fathers' group information; monitor mood; no follow-up needed"),
    S("transcript", """Client: I've been getting a bit anxious about my health since I turned fifty. I googled a mole and got myself worked up.
    Therapist: Did you get it checked?
    Client: Yes, GP said it was nothing. I felt better straight away.
    Therapist: Has the worry come back since?
    Client: Not really. I think it was a one-off. I just wanted to make sure I don't turn into a worrier.
    Therapist: Getting it checked and then letting it go is exactly the right approach.""",
      "Health worry after checking a mole", "Brief anxiety resolved after GP reassurance",
      R, "none identified", "Limit online symptom searching; routine health checks; no follow-up"),
    S("notes", """Client, 30, describes procrastination on his PhD write-up and mild guilt about it. Mood generally good,
    sleep fine, plays in a football team, good relationship with supervisor. No suicidal thoughts. Discussed
    breaking writing into 25-minute blocks, a daily word target and accountability with a writing group. He also agreed to tell his supervisor about the delay so it stops feeling like a secret.""",
      "Procrastination on PhD write-up", "Avoidance of writing, mild guilt",
      R, "none identified", "Timed writing blocks; daily word target; writing group"),
    S("notes", """Client, 58, seen for a follow-up after completing an alcohol reduction programme. Now drinking within
    guidelines, two alcohol-free days a week. Sleep improved, liver tests normal. Mood good, enjoying golf
    again. No suicidal thoughts. Discussed holiday season plans. He has family gatherings and a work party coming up and will plan in advance how many drinks he will have and alternate with soft drinks. His wife supports the changes and has joined him in the alcohol-free days.""",
      "Follow-up after alcohol reduction", "Drinking within guidelines; improved sleep and liver tests",
      R, "none identified", "Maintain alcohol-free days; plan for holidays; discharge"),
    S("transcript", """Therapist: You mentioned feeling a bit left out at work.
    Client: The team goes for drinks on Fridays and I don't drink, so I never go. I feel like I'm missing out on the chat.
    Therapist: How else are things?
    Client: Good, really. I like the job. I've got friends outside work.
    Therapist: Would you be up for going along with a soft drink, or suggesting a lunch instead?
    Client: A lunch might work. I'll suggest it.""",
      "Feeling left out of team socials", "Missing Friday drinks as a non-drinker",
      R, "none identified", "Suggest team lunch; attend socials with soft drink; peer connection"),
    S("notes", """Client, 22, trainee hairdresser, upset after a breakup two weeks ago. Crying some evenings, but still
    working, eating, and seeing friends, who have been supportive. No self-harm, no suicidal thoughts.
    Discussed normal reactions after a breakup and limiting checking her ex's social media. She has muted his accounts and plans a weekend away with two friends. Agreed to come back if the low mood lasts more than a few weeks or gets worse.""",
      "Upset after recent breakup", "Evening tearfulness, checking ex's social media",
      R, "none identified", "Limit social media checking; lean on friends; return if low mood persists"),
    S("notes", """Client, 49, menopausal symptoms including hot flushes and broken sleep, with mild irritability and low
    confidence at work. Mood otherwise okay, enjoys her family and swimming. No suicidal thoughts. Had not
    discussed symptoms with GP. Encouraged GP review and discussed practical sleep strategies. She had assumed she just had to put up with the symptoms. She feels relieved to understand that the irritability and poor sleep may be linked and treatable, and will book a GP appointment this week.""",
      "Irritability and poor sleep during menopause", "Hot flushes, broken sleep, low confidence",
      R, "none identified", "GP review of menopause symptoms; sleep strategies; menopause support group"),
    S("transcript", """Client: My partner's away with the army for six months. I'm fine, but the evenings are long.
    Therapist: How are you filling them?
    Client: I've started a pottery class on Tuesdays. My sister comes round on Thursdays.
    Therapist: And sleep and mood?
    Client: Both good. I miss him, that's all.
    Therapist: It sounds like you've set things up really well. Is there a forces families group nearby?
    Client: There is. I might try it.""",
      "Partner on six-month deployment", "Missing partner in the evenings; mood and sleep good",
      R, "none identified", "Forces families group; keep weekly activities"),
    S("notes", """Client, 27, PhD student, attending final session of a brief course for mild anxiety about a conference
    presentation. Presented last week and it went well. Used breathing and preparation strategies. No other
    concerns. Mood good. No suicidal thoughts. Discharged. She noticed that her anxiety dropped after the first two minutes of speaking, and she was able to answer questions from the audience. She plans to volunteer for another talk next term to keep practising.""",
      "Final session for presentation anxiety", "Presentation went well with strategies",
      R, "none identified", "Discharge; keep using preparation strategies"),
    S("notes", """Client, 71, widower, attending a community wellbeing session. Says he is lonely on Sundays but has a busy
    week with the allotment, the men's shed and his grandchildren. Sleeping and eating well. No suicidal
    thoughts. Interested in a Sunday lunch club run by the church. His daughter has offered to drive him the first time. He said he has not cooked a Sunday roast since his wife died and that he misses the smell of it.""",
      "Sunday loneliness in a widower", "Quiet Sundays; otherwise busy and well",
      R, "none identified", "Sunday lunch club; continue men's shed"),
    S("transcript", """Therapist: What brought you in today?
    Client: I'm starting university next month, first in my family. I'm excited but also a bit worried I won't fit in.
    Therapist: What do you imagine might happen?
    Client: That everyone will know more than me, or have more money.
    Therapist: Have you felt like this before and been okay?
    Client: When I started sixth form. I made friends after a few weeks.
    Therapist: That's useful evidence. Universities also have first-generation student networks you could join.
    Client: I didn't know that. That helps.""",
      "Worries before starting university", "Anticipatory worry about fitting in",
      R, "none identified", "First-generation student network; freshers' activities"),
    S("notes", """Client, 34, occupational therapist, attending a booster session six months after CBT for health anxiety.
    Noticed urges to check a headache online last week but resisted and the worry faded. No reassurance
    seeking. Mood good. No suicidal thoughts. Reviewed her relapse prevention plan. She noticed that the headache went away by itself once she had eaten and had some water, which she sees as good evidence against the old fears. Agreed that she does not need further sessions.""",
      "Booster after health anxiety treatment", "Brief urge to check symptoms, resisted",
      R, "none identified", "Continue relapse prevention plan; discharge"),
    S("notes", """Client, 42, restaurant owner, stressed during a busy festive season: long hours, short-staffed, some
    tension headaches. Sleeping 6 hours, eating on the go. Still enjoys the work and looks forward to closing
    for two weeks in January. No suicidal thoughts. Discussed short breaks during service and delegating ordering to his deputy. He also agreed to eat a proper staff meal before evening service.""",
      "Festive season work stress", "Long hours, tension headaches, irregular meals",
      R, "none identified", "Short breaks in service; delegate ordering; rest in January"),
    S("transcript", """Client: I'm here for my son really. He's eight and he's been worried about monsters at bedtime since a sleepover.
    Therapist: How long has it been going on?
    Client: About two weeks. He gets to sleep eventually. He's fine in the day.
    Therapist: What have you tried so far?
    Client: A night light. Checking the wardrobe with him.
    Therapist: Those are sensible. Checking every night can sometimes keep the worry going, so we could try a brave-bedtime chart instead.
    Client: He'd like a chart.""",
      "Child's bedtime fears after sleepover", "Fear of monsters at night for two weeks; fine by day",
      R, "none identified", "Brave-bedtime reward chart; reduce checking; review if persisting"),
]
