"""Forgets one await and then calls a string method on the coroutine: AttributeError on 'coroutine'.

expect: not-awaited
"""


def render_page(user, posts):
    return f"== {user} ==\n{posts}"


async def profile_page(get_user, get_posts, user_id):
    user = get_user(user_id)
    posts = await get_posts(user_id)
    return render_page(user.strip(), posts)
