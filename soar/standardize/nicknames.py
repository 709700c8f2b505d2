"""Nicknames, diminutives and transliteration variants mapped to one formal given name.

The table is deliberately small and unambiguous: a nickname that stands for two common
names (BETO: ALBERTO or ROBERTO) is left out, because mapping it would turn a coincidence
into an agreement. Phonetic keys and Jaro-Winkler bands cover the rest.
"""

from __future__ import annotations

from typing import Final

_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    # English diminutives
    "WILLIAM": ("BILL", "BILLY", "WILL", "WILLIE", "WILLY", "LIAM"),
    "ROBERT": ("BOB", "BOBBY", "ROB", "ROBBIE"),
    "RICHARD": ("RICK", "RICKY", "RICH", "DICK", "RICHIE"),
    "JAMES": ("JIM", "JIMMY", "JAMIE"),
    "JOHN": ("JOHNNY", "JACK", "JON"),
    "MICHAEL": ("MIKE", "MIKEY", "MICK", "MICKEY"),
    "THOMAS": ("TOM", "TOMMY"),
    "JOSEPH": ("JOE", "JOEY"),
    "CHARLES": ("CHARLIE", "CHUCK", "CHAS"),
    "EDWARD": ("ED", "EDDIE", "TED", "TEDDY", "NED"),
    "ANTHONY": ("TONY",),
    "DANIEL": ("DAN", "DANNY"),
    "DAVID": ("DAVE", "DAVEY"),
    "CHRISTOPHER": ("CHRIS",),
    "MATTHEW": ("MATT", "MATTY"),
    "NICHOLAS": ("NICK", "NICKY"),
    "STEVEN": ("STEVE", "STEPHEN", "STEVIE"),
    "BENJAMIN": ("BEN", "BENNY"),
    "SAMUEL": ("SAM", "SAMMY"),
    "ALEXANDER": ("ALEX", "ALEKSANDR", "ALEKSANDER", "ALEJANDRO", "SASHA", "SANDRO"),
    "ANDREW": ("ANDY", "DREW", "ANDREI", "ANDREY", "ANDRIY"),
    "PATRICK": ("PAT", "PADDY"),
    "TIMOTHY": ("TIM", "TIMMY"),
    "KENNETH": ("KEN", "KENNY"),
    "GREGORY": ("GREG",),
    "LAWRENCE": ("LARRY", "LAURENCE"),
    "GERALD": ("GERRY", "JERRY"),
    "DONALD": ("DON", "DONNIE"),
    "RONALD": ("RON", "RONNIE"),
    "PETER": ("PETE", "PYOTR", "PIOTR"),
    "ELIZABETH": ("LIZ", "LIZZIE", "BETH", "BETTY", "ELIZA", "LIZA", "BETSY"),
    "MARGARET": ("MAGGIE", "MEG", "PEGGY", "MARGE"),
    "KATHERINE": (
        "KATE",
        "KATIE",
        "KATHY",
        "CATHERINE",
        "KATHRYN",
        "KAT",
        "YEKATERINA",
        "EKATERINA",
    ),
    "JENNIFER": ("JEN", "JENNY"),
    "REBECCA": ("BECKY", "BECCA"),
    "PATRICIA": ("PATTY", "TRISH", "PATSY"),
    "SUSAN": ("SUE", "SUSIE", "SUZY"),
    "DEBORAH": ("DEB", "DEBBIE", "DEBRA"),
    "VICTORIA": ("VICKY", "TORI"),
    "CHRISTINE": ("CHRISTINA", "TINA", "KRISTINA"),
    # Spanish and Portuguese hipocoristicos
    "JOSE": ("PEPE", "CHEPE", "JOSEITO"),
    "FRANCISCO": ("PACO", "PANCHO", "KIKO"),
    "JESUS": ("CHUY", "CHUCHO", "CHUS"),
    "GUADALUPE": ("LUPE", "LUPITA"),
    "IGNACIO": ("NACHO",),
    "GUILLERMO": ("MEMO", "GUILLE"),
    "EDUARDO": ("LALO",),
    "ENRIQUE": ("QUIQUE",),
    "ANTONIO": ("TONO", "TONIO"),
    "SALVADOR": ("CHAVA", "CHAVO"),
    "CONSUELO": ("CHELO",),
    "CONCEPCION": ("CONCHA", "CONCHITA"),
    "DOLORES": ("LOLA", "LOLITA"),
    "ROSARIO": ("CHARO",),
    "MANUEL": ("MANOLO", "MANU"),
    "RAFAEL": ("RAFA",),
    "FERNANDO": ("NANDO", "FERNAN"),
    "ALFREDO": ("FREDO",),
    "RODOLFO": ("RUDY", "FITO"),
    "JAVIER": ("XAVIER",),
    "JORGE": ("GEORGE", "GEORGI", "GEORGIY", "YURI", "YURIY", "IURII"),
    # Transliteration variants (Cyrillic, Arabic) that phonetic keys split apart
    "SERGEI": ("SERGEY", "SERGIY", "SERHIY", "SERGE", "SERGIO"),
    "DMITRI": ("DMITRY", "DMITRIY", "DIMITRI", "DIMA"),
    "MIKHAIL": ("MIKHAYLO", "MYKHAILO", "MISHA"),
    "IVAN": ("IOANN", "IWAN"),
    "VLADIMIR": ("VOLODYMYR", "VOVA"),
    "NIKOLAI": ("NIKOLAY", "MYKOLA", "KOLYA"),
    "OLEKSANDR": ("OLEKSANDER",),
    "YEVGENY": ("EVGENY", "EVGENII", "YEVHEN", "ZHENYA"),
    "MUHAMMAD": ("MOHAMMED", "MOHAMMAD", "MOHAMED", "MUHAMMED", "MOHAMAD", "MEHMET", "MAHOMED"),
    "AHMED": ("AHMAD", "AHMET"),
    "MUSTAFA": ("MUSTAPHA", "MOUSTAFA"),
    "YUSUF": ("YOUSEF", "YOUSSEF", "YUSSEF"),
    "HUSSEIN": ("HUSSAIN", "HUSAIN", "HOSSEIN", "HUSEYIN"),
    "OMAR": ("UMAR", "OMER"),
    "ABDULLAH": ("ABDALLAH", "ABDULA", "ABDULLA"),
    "IBRAHIM": ("EBRAHIM", "IBRAHEEM"),
    "KHALID": ("KHALED", "HALID"),
}

#: Nickname or variant -> formal given name (every formal name also maps to itself).
NICKNAMES: Final[dict[str, str]] = {
    variant: formal for formal, variants in _GROUPS.items() for variant in (formal, *variants)
}
