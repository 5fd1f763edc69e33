"""Synthetic session summaries, risk moderate (hand-written; fictional people only)."""


def S(kind, session, cc, sx, risk, note, plan):
    return {"kind": kind, "session": session, "cc": cc, "sx": sx, "risk": risk, "note": note, "plan": plan}


R = "moderate"
ITEMS = [
    S("notes", """Client, 28, software developer, describes constant worry about work performance, his parents' health and
    money for about a year. Muscle tension, headaches, difficulty falling asleep most nights, irritability with
    his girlfriend. Still working and socialising but says it "takes everything". No low mood of note, no
    suicidal thoughts. GAD-7 15. Has tried a meditation app without much benefit. Keen on a structured
    approach.""",
      "Persistent worry for a year", "Muscle tension, headaches, sleep-onset difficulty, irritability",
      R, "no SI; functioning maintained", "CBT for generalised anxiety; worry time; sleep routine"),
    S("transcript", """Therapist: What brings you here today?
    Client: My mum died in February and I thought I'd be okay by now. I'm not.
    Therapist: What does 'not okay' look like day to day?
    Client: I cry in the car. I can't listen to the radio because of her songs. I go to work, I come home, I sit.
    Therapist: Have you had any thoughts of harming yourself or not wanting to be here?
    Client: No. I miss her. That's all. I just want to be able to think about her without falling apart.
    Therapist: That's a really good goal. Let's talk about her a bit, if that's okay.""",
      "Grief after mother's death in February", "Tearfulness, avoidance of reminders, withdrawal after work",
      R, "no SI; grief within expected range", "Grief-focused sessions; gradual approach to reminders; memory work"),
    S("notes", """Client, 41, teacher. Exhausted, cynical about work, dreads Sunday evenings, marking until midnight. Recently
    snapped at a pupil and felt ashamed. Sleep 5-6 hours, two colds this term, stopped playing in a band.
    Enjoys holidays but feels they are "just recovery time". No low mood outside work, no suicidal
    thoughts. Considering going part-time. In session we mapped where the hours go each week and identified marking and email as areas where she could set firmer limits.""",
      "Work exhaustion and cynicism in teaching", "Sunday dread, late marking, irritability, poor sleep, dropped hobbies",
      R, "no SI", "Workload boundaries; discuss part-time options; return to band practice"),
    S("notes", """Client, 23, two panic attacks a week on the underground commute for two months. Has started getting off
    early and walking 40 minutes. Fears fainting or losing control. Heart checked by GP, normal. No panic at
    home. Mood otherwise fine, no suicidal thoughts. Motivated to keep her job in the city. Explained the panic cycle and how escape keeps the fear going; she agreed to ride one stop further before getting off this week.""",
      "Panic attacks on the underground", "Two attacks weekly, avoidance by walking, fear of fainting",
      R, "no SI; no medical concerns", "Panic psychoeducation; interoceptive exposure; graded return to the tube"),
    S("transcript", """Therapist: You mentioned you've been drinking more since lockdown and it hasn't gone back down.
    Client: Four or five glasses of wine a night, more on Fridays. I don't get drunk, I just need it to wind down.
    Therapist: What happens if you skip a night?
    Client: I'm grumpy and I can't sleep. No shakes or anything.
    Therapist: How do you feel about cutting down?
    Client: I want to. My blood tests showed my liver's a bit off. That scared me.
    Therapist: Let's look at what the wine is doing for you in the evenings and what else could do it.""",
      "Daily wine drinking since lockdown", "Four to five glasses nightly, poor sleep without alcohol, abnormal liver tests",
      R, "no withdrawal; no SI", "Drink diary; alcohol-free days; alternative wind-down routine; GP recheck"),
    S("notes", """Client, 34, moved to a new city for a job eight months ago. Knows nobody outside work, spends weekends
    alone, feels "invisible". Sleeping more at weekends, comfort eating. No suicidal thoughts. Enjoyed
    climbing and board games before the move. Motivated to change but anxious about approaching groups. Together we listed three local options and rehearsed what he might say when arriving at a climbing session for the first time.""",
      "Loneliness after relocation", "Weekend isolation, oversleeping, comfort eating, feeling invisible",
      R, "no SI", "Behavioural activation; try climbing club and board game café; social anxiety work"),
    S("notes", """Client, 19, first-year student, referred by university welfare. Binge eating two to three evenings a week,
    feels out of control and disgusted afterwards. No purging or compensatory exercise. Weight stable. Low
    mood after binges. No self-harm or suicidal thoughts. Eats very little during the day while studying. Explained how daytime restriction drives evening binges. She agreed to try three meals and two snacks at set times and to keep a simple diary until next week.""",
      "Binge eating in first year of university", "Two to three binges weekly, guilt, restriction during the day",
      R, "no purging; no SI", "Regular eating plan; food and mood diary; CBT-E guided self-help"),
    S("transcript", """Client: It's been a year since the burglary and I still check the locks four or five times before bed.
    Therapist: What goes through your mind while you check?
    Client: That they'll come back. That this time I'll be home.
    Therapist: Do you get memories of the night it happened?
    Client: Sometimes when I hear a noise downstairs. My heart goes. I don't really sleep till two.
    Therapist: And during the day?
    Client: I'm fine at work. It's the house. I've thought about moving.
    Therapist: Before you decide that, it might be worth working on the fear itself.""",
      "Anxiety and checking after burglary a year ago", "Repeated lock-checking, hyperarousal at night, late sleep",
      R, "no SI", "Trauma-focused CBT; reduce checking; sleep plan"),
    S("notes", """Client, 52, separated from his wife of 20 years three months ago. Low mood, sleeping poorly, drinking a
    few more beers than usual, sees his children every other weekend. Still working. Feels like a failure.
    Denies suicidal thoughts; says his children keep him going. PHQ-9 13. We discussed how the drinking has crept up and he agreed to keep weekday evenings alcohol-free. He would like help with how to talk to the children about the separation.""",
      "Low mood after marital separation", "Poor sleep, increased drinking, sense of failure",
      R, "no SI; children protective", "Weekly CBT; alcohol limits; men's separation support group"),
    S("notes", """Client, 30, describes scars from self-harm as a teenager and urges returning over the past month since
    starting a stressful new role. Has not acted on urges for nine years. Uses running and calling her sister.
    No suicidal thoughts. Wants to strengthen coping before the urges grow. Reviewed what helped her stop at 21 and wrote an updated coping card. She will tell her sister about the urges so that she is not managing them alone.""",
      "Return of self-harm urges after nine years", "Urges during work stress; no self-harm; good coping strategies",
      R, "urges without acts; no SI", "Refresh coping plan; stress management; review in two weeks"),
    S("transcript", """Therapist: You said your daughter's been struggling to go to school.
    Client: She's twelve. Every morning it's stomach aches and tears. She's missed eight days this term.
    Therapist: What does she say worries her?
    Client: A group of girls who laugh at her. And she's scared of being sick in class.
    Therapist: Has she said anything about hurting herself?
    Client: No, nothing like that. She's fine at weekends.
    Therapist: It sounds like anxiety linked to school. We could work with her and with the school together.""",
      "Child's school-related anxiety and absence", "Morning stomach aches, tears, eight days missed, fear of vomiting",
      R, "no self-harm reported", "Parent-led CBT; school meeting about peers; graded return plan"),
    S("notes", """Client, 47, caring for her mother with dementia while working part-time. Tearful, exhausted, guilty about
    feeling resentful. Sleep broken because mother wanders at night. No respite for six months. No suicidal
    thoughts. Brother lives abroad and offers money but not time. She has not had a full night's sleep in weeks and has stopped seeing her friends. We discussed a carer's assessment, day centre places and sitting services, and she agreed to call the council this week. We also talked about the guilt and how common resentment is for carers.""",
      "Carer strain looking after mother with dementia", "Exhaustion, broken sleep, guilt, resentment",
      R, "no SI; carer burnout", "Carer's assessment; respite options; self-compassion work"),
    S("notes", """Client, 36, veteran of a tour abroad twelve years ago. Occasional nightmares and a strong startle response.
    Avoids fireworks and busy pubs. Works as a security guard and is coping, but his new partner finds his
    jumpiness hard. Drinks at weekends only. No suicidal thoughts. Would like to reduce symptoms before starting a family. Provided information about trauma-focused therapy and the veterans' service.""",
      "Ongoing trauma symptoms from military service", "Occasional nightmares, startle, avoidance of crowds",
      R, "no SI; functioning at work", "Trauma-focused CBT; partner psychoeducation session"),
    S("transcript", """Client: I've been smoking weed every evening for three years. I want to stop but my sleep goes to pieces when I do.
    Therapist: What have you noticed about how it affects you?
    Client: I'm flat. No motivation. I used to make music and I haven't in ages.
    Therapist: Any paranoia or strange experiences?
    Client: A bit of paranoia if it's strong stuff. Nothing scary.
    Therapist: Would you be up for planning a gradual reduction, with a plan for the sleep?
    Client: Yeah. I want my music back.""",
      "Daily cannabis use for three years", "Low motivation, poor sleep when stopping, mild paranoia with strong strains",
      R, "no SI; no psychosis", "Gradual reduction plan; sleep hygiene; return to music as goal"),
    S("notes", """Client, 58, recently retired police officer. Low mood since retirement, misses the structure and
    colleagues, drinking more at lunchtime, irritable with wife. No suicidal thoughts. Describes some
    memories of difficult cases coming back now that he is less busy. Reluctant about therapy but agreed to six sessions. He joked that he spent thirty years telling other people to talk about their feelings. We started an activity diary to see how his days are structured and where the drinking fits.""",
      "Low mood and loss of purpose after retirement", "Irritability, lunchtime drinking, intrusive memories of old cases",
      R, "no SI", "Six sessions; activity scheduling; explore volunteering; monitor trauma memories"),
    S("notes", """Client, 25, junior lawyer. Frequent chest tightness, racing thoughts and nausea before meetings with a
    senior partner who criticises her publicly. Sleeping 5 hours, working weekends. Has thought about leaving
    law. No low mood outside work, no suicidal thoughts. Would like strategies and to think about her options. Practised a short breathing routine for before meetings and discussed what she could say if criticised in front of others. She will look at the firm's bullying policy.""",
      "Work anxiety linked to critical senior partner", "Chest tightness, nausea, racing thoughts, overwork",
      R, "no SI", "Anxiety management; assertiveness; explore HR and career options"),
    S("transcript", """Therapist: How have things been since your diagnosis?
    Client: Type 1 at 32. I'm still angry. I keep 'forgetting' to check my sugars.
    Therapist: What do you think the forgetting is about?
    Client: If I don't check, I don't have to think about it. My diabetes nurse is not impressed.
    Therapist: Has it affected your mood more generally?
    Client: I'm snappy. I've stopped going out to eat because I hate injecting in public. No dark thoughts, just fed up.
    Therapist: That sounds like grief for the life you had before. It makes sense.""",
      "Adjustment difficulties after diabetes diagnosis", "Anger, avoidance of glucose checks, irritability, social withdrawal",
      R, "no SI; medical risk from avoidance", "Adjustment-focused sessions; liaison with diabetes nurse; graded public injecting"),
    S("notes", """Client, 43, father of three, reports nightly worry spirals about money after his hours were cut. Lies awake
    running through bills, has started checking his bank app twenty times a day. Short-tempered with his
    children. No suicidal thoughts. Wife supportive. Has not sought debt advice out of embarrassment. Normalised his worry given the situation and introduced worry postponement. He agreed to call a free debt advice line with his wife this week and to check the banking app once a day.""",
      "Money worries after reduced hours", "Night-time worry, repeated bank checking, irritability",
      R, "no SI", "Debt advice referral; worry postponement; limit checking"),
    S("notes", """Client, 27, trans woman, describes low mood and anxiety linked to a long wait for gender identity services
    and recent harassment on the street. Avoids going out alone after dark. Strong friendship group and a
    supportive partner. No self-harm or suicidal thoughts. Wants support to cope with the wait and the harassment. We talked about what has helped so far and about reporting the harassment; she is unsure about involving the police.""",
      "Low mood and anxiety linked to long wait and harassment", "Avoidance after dark, low mood",
      R, "no SI; good support network", "Supportive therapy; safety planning for going out; peer group"),
    S("transcript", """Client: My best friend died in a climbing accident in the summer. I was meant to be there that day.
    Therapist: That's an enormous loss. What's it been like since?
    Client: I keep thinking it should have been me, or that I could have stopped it. I haven't climbed since.
    Therapist: How are you sleeping?
    Client: Badly. I dream about the crag. I'm okay at work, mostly.
    Therapist: Any thoughts of wanting to die yourself?
    Client: No. Guilty, not suicidal.""",
      "Grief and guilt after friend's climbing death", "Survivor guilt, nightmares, avoidance of climbing",
      R, "no SI", "Grief and trauma-focused work; address guilt; sleep support"),
    S("notes", """Client, 39, bank manager, describes panic attacks at night waking her from sleep, about twice a week for
    three months. Daytime anxiety about having another. Caffeine intake high. No other health issues.
    No suicidal thoughts. Has started avoiding evening plans to get an early night. Explained that night-time attacks are a form of panic and are not dangerous. She drinks around six coffees a day and agreed to stop caffeine after midday and to keep one evening plan this week.""",
      "Nocturnal panic attacks", "Twice-weekly night attacks, anticipatory anxiety, high caffeine",
      R, "no SI", "Panic psychoeducation; reduce caffeine; stop avoiding evening plans"),
    S("notes", """Client, 55, widower of eighteen months, describes loneliness in the evenings and at weekends. Has
    stopped going to the pub quiz he used to attend with his wife. Daughter visits on Sundays. Mood low in
    the evenings, better during the day at work. No suicidal thoughts. Wants to "get a life back". He used to enjoy walking with his wife on Sundays and says that is the hardest day. We discussed a local walking group.""",
      "Loneliness after bereavement", "Evening low mood, withdrawal from old activities",
      R, "no SI", "Bereavement group; return to quiz with friend; evening routine"),
    S("transcript", """Therapist: You said you've been weighing yourself a lot.
    Client: Every morning and every night, sometimes after meals. If it's up I skip lunch the next day.
    Therapist: How long has that been going on?
    Client: Since I started the new job. Everyone there is really into fitness.
    Therapist: Has your weight changed much?
    Client: Down a few kilos. I'm still a healthy weight. I just feel like I'm watching it all the time.
    Therapist: It's good that you've noticed it early. We can look at where it started and what it's doing for you.""",
      "Frequent weighing and compensatory skipping of meals", "Twice-daily weighing, skipping lunch, food preoccupation",
      R, "no medical risk currently; no SI", "Reduce weighing; regular eating; explore work culture triggers"),
    S("notes", """Client, 31, mother of twins aged two. Describes feeling overwhelmed and tearful most afternoons, irritable
    with her partner, and guilty for "not enjoying it". Sleeping when she can, eating well. No thoughts of
    harming herself or the children. Partner works long hours. Returning to work in two months. She feels she should be able to manage alone and has not asked her mother for help. We discussed realistic expectations and she agreed to ask her mother to take the twins one morning a week.""",
      "Parenting overwhelm with toddler twins", "Afternoon tearfulness, irritability, guilt",
      R, "no SI; no harm thoughts", "Supportive sessions; share care with partner; local parent group"),
    S("notes", """Client, 20, apprentice electrician. Describes social anxiety: avoids eating in front of colleagues, blushes
    and shakes when speaking in groups, rehearses conversations for hours. Drinks before social events to
    cope. No low mood, no suicidal thoughts. Worried it will affect his apprenticeship assessments. Explained the role of safety behaviours like rehearsing and drinking in keeping anxiety going. He agreed to a small experiment: eating lunch in the canteen once this week and noting what actually happens.""",
      "Social anxiety at work", "Avoidance of eating with colleagues, blushing, drinking to cope",
      R, "no SI", "CBT for social anxiety; behavioural experiments; reduce drinking before events"),
    S("transcript", """Client: Since the car crash I've been fine driving, but I can't be a passenger. I grab the door handle and shout.
    Therapist: When was the crash?
    Client: Eight months ago. My partner was driving. Nobody was hurt badly.
    Therapist: Any other reminders that get to you?
    Client: Screeching brakes in films. I turn them off. I sleep okay.
    Therapist: It sounds like your body is still on alert in that one situation.
    Client: It's causing rows. She thinks I blame her.""",
      "Passenger anxiety after car crash", "Panic as passenger, startle to brakes, relationship strain",
      R, "no SI", "Trauma-focused CBT; graded passenger exposure; joint session with partner"),
    S("notes", """Client, 45, nurse manager. Tension headaches, poor sleep, and a sense of dread before work. Team has been
    short-staffed for a year and she covers shifts on her days off. Has cried at work twice. Eating and enjoying weekends with family. No suicidal thoughts. She finds it very hard to say no to her team. We explored what would happen if she stopped covering on her days off and she agreed to raise the staffing gap with her director.""",
      "Work stress with staffing shortages", "Headaches, insomnia, dread, tearfulness at work",
      R, "no SI", "Boundaries on days off; raise staffing with management; relaxation practice"),
    S("notes", """Client, 70, lives alone since his wife moved into a care home. Visits her daily but she no longer
    recognises him. Low mood, tearful after visits, eating ready meals. Still plays bowls on Wednesdays.
    No suicidal thoughts. Describes feeling like a widower "while she's still here". We talked about anticipatory grief and the strain of daily visits. His son has offered to visit twice a week so he can have some days off, which he feels guilty about accepting.""",
      "Anticipatory grief as wife lives with dementia", "Low mood, tearfulness after visits, poor diet",
      R, "no SI", "Anticipatory grief work; carers' group; meal support"),
    S("transcript", """Therapist: What's been happening with the gambling since we last spoke?
    Client: I lost £300 on Saturday. I'd promised myself I wouldn't bet on the football.
    Therapist: What was going on before you placed the first bet?
    Client: Bored, on my own. It's always when I'm on my own.
    Therapist: How are things at home?
    Client: My partner knows about the debt now. She's angry but she's still here. I'm not having any dark thoughts, I'm just annoyed with myself.
    Therapist: Let's look at your Saturdays and at putting a block on your accounts.""",
      "Gambling on football when alone", "Loss on Saturday, boredom trigger, relationship strain",
      R, "no SI; debt stress", "Gambling blocks; plan Saturdays; debt advice; gambling support group"),
]
